/* Makes a program's random start reproducible: loaded before it (LD_PRELOAD) by the grader.
 *
 * The course's programs seed their random start from a clock (C: srand(time(NULL)) or gettimeofday;
 * Fortran: system_clock or date_and_time; Python: time.time()) or from the system's entropy (Fortran's
 * random_seed(), numpy's global generator, Python's random): two gradings of the same program would start
 * differently.  This library replaces getrandom() and getentropy() with values drawn from GRADER_RUN_SEED
 * (splitmix64), which the grader derives from the run's input, and every clock a program can read with a
 * replayed one started from that seed, so the same program on the same data starts the same way every
 * time, and different data start differently.
 *
 * The replayed clocks:
 * - the wall clock (time, gettimeofday, timespec_get, clock_gettime's CLOCK_REALTIME and its variants:
 *   what Python's time.time and Fortran's date_and_time read) starts at a moment between 2020 and 2023;
 * - the monotonic clocks (CLOCK_MONOTONIC, _RAW, _COARSE, CLOCK_BOOTTIME: Fortran's system_clock, Python's
 *   time.monotonic and perf_counter, times()) start between 1 and 1001 seconds;
 * - the processor time (clock(), times(), getrusage() of the process or thread, CLOCK_PROCESS_CPUTIME_ID
 *   and CLOCK_THREAD_CPUTIME_ID: Fortran's cpu_time, Python's time.process_time) starts at 0.
 * Every reading of any of them advances them all by one microsecond, and every sleep (sleep, usleep,
 * nanosleep, clock_nanosleep, a select() without descriptors: Python's time.sleep) advances the wall and
 * monotonic clocks by the time slept, and really sleeps: readings strictly increase, and a program's loop
 * that waits for time to pass ends.  Both starts are behind the real clocks (the monotonic one unless
 * the machine started less than 17 minutes ago), so that a wait until an absolute deadline that is not
 * replayed here (a lock's timeout, computed from a replayed reading but checked by the kernel against the
 * real clock) ends early rather than waits for a deadline far ahead.
 * Clock identifiers of other kinds (another process's processor time) read the real clock.  All threads
 * share one count of readings: a program whose other threads read clocks (its own threads, not numpy's)
 * may see them in another order from one run to the next.
 *
 * Only calls through the dynamic linker are replaced (the program's own, libgfortran's, libpython's):
 * the C library's internal calls and a raw system call still see the real clocks.  The grader enforces
 * its time limits from outside the program's process, on the real clocks.
 *
 * It also makes standard output line-buffered, as it is in a terminal: the grader reads stdout
 * and stderr from one pipe, where the C library would otherwise buffer stdout by blocks of 4 KB
 * and write them mid-line, so that a line the program prints on (unbuffered) stderr in between
 * would land inside a stdout line.  Line-buffered, what the pipe holds is what a user sees.
 */
#define _GNU_SOURCE
/* The C library's own declarations of these differ between its versions (the type of a time zone, of
 * getrusage's first argument): declared under other names here, defined below with their ABI's types. */
#define gettimeofday replaced_gettimeofday
#define getrusage replaced_getrusage
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#undef gettimeofday
#undef getrusage

#define GOLDEN 0x9E3779B97F4A7C15ULL
#define BILLION 1000000000ULL
/* What one reading advances the clocks by, in nanoseconds. */
#define STEP 1000ULL

static uint64_t state;
static int ready;
/* Where the replayed wall and monotonic clocks start, in nanoseconds (drawn from the seed). */
static uint64_t wall_start, monotonic_start;
/* How many readings were made, and how long the program slept (nanoseconds): the replayed time. */
static uint64_t readings, slept;

static uint64_t mixed(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void seed(void)
{
    if (ready)
        return;
    const char *text = getenv("GRADER_RUN_SEED");
    state = text ? strtoull(text, NULL, 10) : 0;
    /* 2020-09-13 to 2023-11-14, and 1 s to 1001 s: behind the real clocks (see above).  Drawn apart from the
     * entropy's stream (~state), so that a clock and getrandom() never give the same bits. */
    wall_start = 1600000000ULL * BILLION + mixed(~state + GOLDEN) % (100000000ULL * BILLION);
    monotonic_start = BILLION + mixed(~state + 2 * GOLDEN) % (1000ULL * BILLION);
    ready = 1;
}

static uint64_t next(void)
{
    return mixed(state += GOLDEN);
}

ssize_t getrandom(void *buffer, size_t length, unsigned int flags)
{
    (void) flags;
    seed();
    unsigned char *out = buffer;
    for (size_t i = 0; i < length; i += 8) {
        uint64_t value = next();
        size_t n = length - i < 8 ? length - i : 8;
        memcpy(out + i, &value, n);
    }
    return (ssize_t) length;
}

int getentropy(void *buffer, size_t length)
{
    getrandom(buffer, length, 0);
    return 0;
}

/* --- the replayed clocks --- */

enum kind { WALL, MONOTONIC, PROCESSOR, OTHER };

static enum kind kind_of(clockid_t id)
{
    switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
#ifdef CLOCK_REALTIME_ALARM
    case CLOCK_REALTIME_ALARM:
#endif
#ifdef CLOCK_TAI
    case CLOCK_TAI:
#endif
        return WALL;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
#ifdef CLOCK_BOOTTIME_ALARM
    case CLOCK_BOOTTIME_ALARM:
#endif
        return MONOTONIC;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        return PROCESSOR;
    default:
        return OTHER;
    }
}

/* The replayed time of a clock of kind ``kind`` after ``count`` readings (nanoseconds). */
static uint64_t at(enum kind kind, uint64_t count)
{
    uint64_t spent = count * STEP;
    if (kind == PROCESSOR)
        return spent;
    spent += __atomic_load_n(&slept, __ATOMIC_SEQ_CST);
    return (kind == WALL ? wall_start : monotonic_start) + spent;
}

/* One reading of a clock of kind ``kind``: it advances every clock. */
static uint64_t reading(enum kind kind)
{
    seed();
    return at(kind, __atomic_add_fetch(&readings, 1, __ATOMIC_SEQ_CST));
}

/* The time a clock shows now, without reading it (for a deadline: no time passes). */
static uint64_t now(enum kind kind)
{
    seed();
    return at(kind, __atomic_load_n(&readings, __ATOMIC_SEQ_CST));
}

static struct timespec as_timespec(uint64_t ns)
{
    struct timespec value = { (time_t) (ns / BILLION), (long) (ns % BILLION) };
    return value;
}

static struct timeval as_timeval(uint64_t ns)
{
    struct timeval value = { (time_t) (ns / BILLION), (suseconds_t) (ns % BILLION / 1000) };
    return value;
}

int clock_gettime(clockid_t id, struct timespec *where)
{
    enum kind kind = kind_of(id);
    if (kind == OTHER)
        return (int) syscall(SYS_clock_gettime, id, where);
    *where = as_timespec(reading(kind));
    return 0;
}

time_t time(time_t *where)
{
    time_t seconds = (time_t) (reading(WALL) / BILLION);
    if (where)
        *where = seconds;
    return seconds;
}

int gettimeofday(struct timeval *where, void *zone)
{
    uint64_t ns = reading(WALL);
    if (where)
        *where = as_timeval(ns);
    if (zone)
        memset(zone, 0, 2 * sizeof(int));  /* struct timezone: UTC, as the C library reports it */
    return 0;
}

int timespec_get(struct timespec *where, int base)
{
    if (base != TIME_UTC)
        return 0;
    *where = as_timespec(reading(WALL));
    return base;
}

clock_t clock(void)
{
    return (clock_t) (reading(PROCESSOR) / (BILLION / CLOCKS_PER_SEC));
}

clock_t times(struct tms *where)
{
    seed();
    uint64_t count = __atomic_add_fetch(&readings, 1, __ATOMIC_SEQ_CST);
    uint64_t tick = BILLION / (uint64_t) sysconf(_SC_CLK_TCK);
    if (where) {
        where->tms_utime = (clock_t) (at(PROCESSOR, count) / tick);
        where->tms_stime = where->tms_cutime = where->tms_cstime = 0;
    }
    return (clock_t) (at(MONOTONIC, count) / tick);
}

int getrusage(int who, struct rusage *usage)
{
    int done = (int) syscall(SYS_getrusage, who, usage);
    if (done == 0 && (who == RUSAGE_SELF || who == RUSAGE_THREAD)) {
        usage->ru_utime = as_timeval(reading(PROCESSOR));
        usage->ru_stime.tv_sec = 0;
        usage->ru_stime.tv_usec = 0;
    }
    return done;
}

/* --- sleeps: real, and the replayed clocks advance by the time slept --- */

/* Sleeps ``wanted`` (relative), advances the replayed clocks by what was slept; -1 and errno on failure. */
static int pause_for(const struct timespec *wanted, struct timespec *left)
{
    struct timespec rest = { 0, 0 };
    int done = (int) syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, wanted, &rest);
    if (done == 0 || errno == EINTR) {
        int64_t asked = (int64_t) wanted->tv_sec * (int64_t) BILLION + wanted->tv_nsec;
        int64_t remaining = done == 0 ? 0 : (int64_t) rest.tv_sec * (int64_t) BILLION + rest.tv_nsec;
        if (asked > remaining)
            __atomic_add_fetch(&slept, (uint64_t) (asked - remaining), __ATOMIC_SEQ_CST);
    }
    if (left && done != 0)
        *left = rest;
    return done;
}

int nanosleep(const struct timespec *wanted, struct timespec *left)
{
    return pause_for(wanted, left);
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *wanted, struct timespec *left)
{
    int saved = errno, result;
    enum kind kind = kind_of(id);
    if (wanted == NULL)
        return EFAULT;
    if (kind == WALL || kind == MONOTONIC) {
        struct timespec relative = *wanted;
        if (flags & TIMER_ABSTIME) {
            /* A deadline on the replayed clock (Python's time.sleep): sleep until the replayed clock reaches it. */
            int64_t deadline = (int64_t) wanted->tv_sec * (int64_t) BILLION + wanted->tv_nsec;
            int64_t shown = (int64_t) now(kind);
            if (wanted->tv_nsec < 0 || wanted->tv_nsec >= (long) BILLION)
                return EINVAL;
            if (deadline <= shown)
                return 0;
            relative = as_timespec((uint64_t) (deadline - shown));
            left = NULL;
        }
        result = pause_for(&relative, left) == 0 ? 0 : errno;
    } else {
        result = syscall(SYS_clock_nanosleep, id, flags, wanted, left) == 0 ? 0 : errno;
    }
    errno = saved;
    return result;
}

unsigned int sleep(unsigned int seconds)
{
    struct timespec wanted = { (time_t) seconds, 0 }, left = { 0, 0 };
    if (pause_for(&wanted, &left) == 0)
        return 0;
    return (unsigned int) left.tv_sec + (left.tv_nsec >= (long) (BILLION / 2));
}

int usleep(useconds_t microseconds)
{
    struct timespec wanted = { (time_t) (microseconds / 1000000), (long) (microseconds % 1000000) * 1000 };
    return pause_for(&wanted, NULL);
}

int select(int count, fd_set *restrict reading_set, fd_set *restrict writing_set, fd_set *restrict errors,
           struct timeval *restrict timeout)
{
    struct timespec limit, *limited = NULL;
    if (timeout) {
        /* Microseconds beyond a second carry over, as in the C library's select(); negative ones are refused. */
        limit.tv_sec = timeout->tv_sec + (timeout->tv_usec > 0 ? timeout->tv_usec / 1000000 : 0);
        limit.tv_nsec = (timeout->tv_usec > 0 ? timeout->tv_usec % 1000000 : timeout->tv_usec) * 1000;
        limited = &limit;
    }
    int done;
    if (count == 0 && !reading_set && !writing_set && !errors && limited && limit.tv_nsec >= 0
        && limit.tv_nsec < (long) BILLION) {
        /* Nothing to watch: a sleep (Python 3.10's time.sleep). */
        done = pause_for(limited, &limit);
        if (done == 0)
            limit.tv_sec = limit.tv_nsec = 0;
    } else {
        done = (int) syscall(SYS_pselect6, count, reading_set, writing_set, errors, limited, NULL);
    }
    if (timeout) {  /* what is left of it, as Linux's select() reports */
        timeout->tv_sec = limit.tv_sec;
        timeout->tv_usec = limit.tv_nsec / 1000;
    }
    return done;
}

__attribute__((constructor)) static void line_buffered_stdout(void)
{
    seed();
    setvbuf(stdout, NULL, _IOLBF, 0);
}
