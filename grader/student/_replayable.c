/* Makes a program's random start reproducible: loaded before it (LD_PRELOAD) by the grader.
 *
 * The course's programs seed their random start from a clock (C: srand(time(NULL)) or gettimeofday;
 * Fortran: system_clock or date_and_time; Python: time.time()), from the system's entropy (Fortran's
 * random_seed(), numpy's global generator, Python's random), from the process id (C: srand(time(NULL) ^
 * (getpid() << 16)); gfortran's manual's init_random_seed: /dev/urandom, else system_clock XOR getpid;
 * Python's os.getpid()) or from a variable's address: two gradings of the same program would start differently.  This
 * library replaces getrandom() and getentropy(), and what an opening of /dev/urandom or /dev/random reads,
 * with values drawn from GRADER_RUN_SEED (splitmix64), which the grader derives from the run's input, every
 * clock a program can read with a replayed one started from that seed, and the process ids (below), so the
 * same program on the same data starts the same way every time, and different data start differently.  The
 * addresses: the grader turns address randomisation off for the program (personality(ADDR_NO_RANDOMIZE), see
 * _program_runner.py).
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
 * that waits for time to pass ends.  A wait until a deadline read on a replayed clock (a condition variable's,
 * Python's lock of the interpreter among them, and a semaphore's: a lock's timeout) waits as long on the real
 * clock, which the kernel compares deadlines with, and advances the wall and monotonic clocks by the time it
 * lasted, as a sleep does.  Both starts are behind the real clocks (the monotonic one
 * unless the machine started less than 17 minutes ago), so that a wait until a deadline not moved here (a
 * mutex's timed lock) ends early rather than waits for a deadline far ahead.
 * Clock identifiers of other kinds (another process's processor time) read the real clock.  All threads
 * share one count of readings: a program whose other threads read clocks (its own threads, not numpy's)
 * may see them in another order from one run to the next.
 *
 * The process ids: the process the grader starts (the leader of its own session) sees, from getpid() and
 * getppid(), ids drawn from the seed, above PID_MAX_LIMIT (2^22, the most pid_max can be): never the id of a
 * real process, so one passed back is told apart from every real one.  kill, killpg, waitpid, wait4, waitid,
 * getpgid, setpgid, getsid, getpriority, setpriority and prlimit translate them (negated too: a process group)
 * back to the real processes they name; any other call given one fails (no such process) rather than act on
 * an unrelated process.  A process it forks sees its own real id (another than its parent's) and, from
 * getppid(), the id its parent sees; a program it executes sees real ids only.
 *
 * The entropy's files: an opening of /dev/urandom or /dev/random for reading (open, openat: gfortran's
 * runtime, Python's open(); fopen, fopen64: a C program's) gives a file in memory of 1 MiB drawn from the seed,
 * then its end.  arc4random, arc4random_uniform and arc4random_buf (the C library's own generator, which reads
 * the system's entropy inside the library, unseen here) draw from the seed too.
 *
 * Only calls through the dynamic linker are replaced (the program's own, libgfortran's, libpython's):
 * the C library's internal calls and a raw system call still see the real clocks and ids.  The grader enforces
 * its time limits from outside the program's process, on the real clocks.
 *
 * It also runs no other program: system() (which Fortran's execute_command_line calls when it waits, and
 * Python's os.system) runs nothing and reports success, posix_spawn() and posix_spawnp() (which it calls when it
 * does not wait: wait=.false.) start a process that ends at once with success, and a forked child whose
 * execve() or execv() the sandbox refuses (Python's subprocess) ends at once with success.  The sandbox refuses to start another program (a shell for "clear" or "echo", a
 * plotting tool): C's system() would then return 127 and the program go on, but gfortran stops the program with
 * a runtime error ("EXECUTE_COMMAND_LINE: Invalid command line"), so the same course program would lose every
 * point in Fortran alone.  What such a command does (clear the screen, print a line) is never graded.
 *
 * It also makes standard output line-buffered, as it is in a terminal: the grader reads stdout
 * and stderr from one pipe, where the C library would otherwise buffer stdout by blocks of 4 KB
 * and write them mid-line, so that a line the program prints on (unbuffered) stderr in between
 * would land inside a stdout line.  Line-buffered, what the pipe holds is what a user sees.
 */
#define _GNU_SOURCE
/* The C library's own declarations of these differ between its versions (the type of a time zone, of
 * getrusage's, getpriority's or prlimit's "which"): declared under other names here, defined below with their
 * ABI's types. */
#define gettimeofday replaced_gettimeofday
#define getrusage replaced_getrusage
#define getpriority replaced_getpriority
#define setpriority replaced_setpriority
#define prlimit replaced_prlimit
/* open and its variants: a redirection in some versions' headers (fortified, large files). */
#define open replaced_open
#define open64 replaced_open64
#define openat replaced_openat
#define openat64 replaced_openat64
#include <fcntl.h>
#undef open
#undef open64
#undef openat
#undef openat64
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <spawn.h>
#include <stdarg.h>
#include <signal.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#undef gettimeofday
#undef getrusage
#undef getpriority
#undef setpriority
#undef prlimit

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

/* The process ids shown (see above) and the real ones they stand for; replaying: this process is the one
 * the grader started, or a process it forked (which inherits these). */
#define PID_LIMIT 4194304
static pid_t own_real, parent_real, own_shown, parent_shown;
static int replaying;

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
    /* The parent's shown id a little below the program's, as when it started it. */
    own_shown = (pid_t) (PID_LIMIT + 1001 + mixed(~state + 3 * GOLDEN) % (PID_LIMIT - 1000));
    parent_shown = own_shown - 1 - (pid_t) (mixed(~state + 4 * GOLDEN) % 1000);
    own_real = (pid_t) syscall(SYS_getpid);
    parent_real = (pid_t) syscall(SYS_getppid);
    /* The grader starts the program in a session of its own; a program it executes does not lead one. */
    replaying = syscall(SYS_getsid, 0) == own_real;
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

/* --- the system's entropy read as a file --- */

/* How much of it one opening gives (then the end of the file): a seed's worth many times over. */
#define ENTROPY_FILE (1 << 20)

static int is_entropy(const char *path)
{
    return path && (strcmp(path, "/dev/urandom") == 0 || strcmp(path, "/dev/random") == 0);
}

/* A file in memory holding ENTROPY_FILE bytes drawn from the seed; -1 if it cannot be made (the real device is
 * then opened). */
static int replayed_entropy(int flags)
{
    int fd = (int) syscall(SYS_memfd_create, "replayed-entropy", (flags & O_CLOEXEC) ? 1U : 0U);
    if (fd < 0)
        return -1;
    unsigned char block[4096];
    for (size_t done = 0; done < ENTROPY_FILE; done += sizeof block) {
        getrandom(block, sizeof block, 0);
        if (write(fd, block, sizeof block) != (ssize_t) sizeof block) {
            close(fd);
            return -1;
        }
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* An opening of ``path``: the entropy's files replayed, any other as the C library opens it. */
static int opened(int folder, const char *path, int flags, mode_t mode)
{
    if (is_entropy(path) && (flags & O_ACCMODE) == O_RDONLY) {
        int saved = errno, fd = replayed_entropy(flags);
        errno = saved;
        if (fd >= 0)
            return fd;
    }
    return (int) syscall(SYS_openat, folder, path, flags, mode);
}

/* The mode argument, given only with O_CREAT or O_TMPFILE. */
#define MODE_OF(flags, last) \
    mode_t mode = 0; \
    if ((flags) & O_CREAT || ((flags) & O_TMPFILE) == O_TMPFILE) { \
        va_list rest; \
        va_start(rest, last); \
        mode = (mode_t) va_arg(rest, int); \
        va_end(rest); \
    }

int open(const char *path, int flags, ...)
{
    MODE_OF(flags, flags)
    return opened(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    MODE_OF(flags, flags)
    return opened(AT_FDCWD, path, flags, mode);
}

int openat(int folder, const char *path, int flags, ...)
{
    MODE_OF(flags, flags)
    return opened(folder, path, flags, mode);
}

int openat64(int folder, const char *path, int flags, ...)
{
    MODE_OF(flags, flags)
    return opened(folder, path, flags, mode);
}

/* A stream of the entropy's replayed file for an opening of ``path`` to read it, else NULL. */
static FILE *entropy_stream(const char *path, const char *mode)
{
    if (!is_entropy(path) || mode == NULL || mode[0] != 'r' || strchr(mode, '+') != NULL)
        return NULL;
    int saved = errno, fd = replayed_entropy(strchr(mode, 'e') != NULL ? O_CLOEXEC : 0);
    FILE *stream = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (stream == NULL && fd >= 0)
        close(fd);
    errno = saved;
    return stream;
}

/* The C library's dlsym: weak, so that a C library that keeps it in libdl (before glibc 2.34) and a program
 * that does not load libdl still load this library; fopen is then made from open() as the C library makes it. */
#pragma weak dlsym

typedef FILE *(*opener)(const char *, const char *);

static FILE *library_fopen(const char *name, const char *path, const char *mode)
{
    opener real = dlsym != NULL ? (opener) dlsym(RTLD_NEXT, name) : NULL;
    if (real != NULL)
        return real(path, mode);
    int flags = strchr(mode, '+') != NULL ? O_RDWR : mode[0] == 'r' ? O_RDONLY : O_WRONLY;
    flags |= mode[0] == 'w' ? O_CREAT | O_TRUNC : mode[0] == 'a' ? O_CREAT | O_APPEND : 0;
    flags |= (strchr(mode, 'x') != NULL ? O_EXCL : 0) | (strchr(mode, 'e') != NULL ? O_CLOEXEC : 0);
    int fd = (int) syscall(SYS_openat, AT_FDCWD, path, flags, 0666);
    if (fd < 0)
        return NULL;
    FILE *stream = fdopen(fd, mode);
    if (stream == NULL)
        close(fd);
    return stream;
}

FILE *fopen(const char *path, const char *mode)
{
    FILE *stream = entropy_stream(path, mode);
    return stream != NULL ? stream : library_fopen("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    FILE *stream = entropy_stream(path, mode);
    return stream != NULL ? stream : library_fopen("fopen64", path, mode);
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

/* --- waits until a deadline: read on a replayed clock, waited for on the real one --- */

/* The C library's own versioned lookup (see dlsym above). */
#pragma weak dlvsym

/* The definition of ``name`` this library stands in front of (its ``version`` first), or NULL. */
static void *next_definition(const char *name, const char *version)
{
    void *found = NULL;
    if (version != NULL && dlvsym != NULL)
        found = dlvsym(RTLD_NEXT, name, version);
    if (found == NULL && dlsym != NULL)
        found = dlsym(RTLD_NEXT, name);
    return found;
}

/* Whether ``deadline`` can be moved to the real clock: a valid time, not so far ahead that it stands for "never". */
static int movable(const struct timespec *deadline)
{
    return deadline != NULL && deadline->tv_nsec >= 0 && deadline->tv_nsec < (long) BILLION
        && deadline->tv_sec >= 0 && deadline->tv_sec < (time_t) 4000000000LL;
}

/* ``deadline``, read on the replayed clock of kind ``kind``, as the moment of the real clock ``real`` that is as far
 * from its now: what the kernel compares a deadline with is the real clock. */
static struct timespec on_real_clock(const struct timespec *deadline, enum kind kind, clockid_t real)
{
    int64_t left = (int64_t) deadline->tv_sec * (int64_t) BILLION + deadline->tv_nsec - (int64_t) now(kind);
    struct timespec current = { 0, 0 };
    syscall(SYS_clock_gettime, real, &current);
    return as_timespec((uint64_t) current.tv_sec * BILLION + (uint64_t) current.tv_nsec
                       + (uint64_t) (left > 0 ? left : 0));
}

/* The replayed clock a deadline of a condition variable was read on (its clock is the variable's own, unseen here):
 * the wall clock's replay shows 2020 or later, the monotonic one's less than 32 years. */
static enum kind deadline_kind(const struct timespec *deadline)
{
    return deadline->tv_sec >= (time_t) 1000000000LL ? WALL : MONOTONIC;
}

/* The real monotonic time, in nanoseconds. */
static uint64_t real_now(void)
{
    struct timespec current = { 0, 0 };
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &current);
    return (uint64_t) current.tv_sec * BILLION + (uint64_t) current.tv_nsec;
}

/* A wait that began at ``start`` (real_now) has ended: the replayed clocks advance by the time it lasted, as by a
 * sleep, so that a loop waiting again for what is left of its timeout (Python's queue.get, Condition.wait_for) sees
 * the time pass and ends. */
static void waited_since(uint64_t start)
{
    int saved = errno;
    uint64_t end = real_now();
    if (end > start)
        __atomic_add_fetch(&slept, end - start, __ATOMIC_SEQ_CST);
    errno = saved;
}

/* The definition this library stands in front of, looked up once into ``slot`` (NULL: none found). */
static void *definition(void **slot, const char *name, const char *version)
{
    void *found = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (found == NULL) {
        found = next_definition(name, version);
        if (found != NULL)
            __atomic_store_n(slot, found, __ATOMIC_RELEASE);
    }
    return found;
}

/* A semaphore's timed wait with nothing to wait with: taken if it is free now, else as if the deadline had passed. */
static int taken_now(sem_t *semaphore)
{
    int taken = sem_trywait(semaphore);
    if (taken != 0 && errno == EAGAIN)
        errno = ETIMEDOUT;
    return taken;
}

typedef int (*cond_waiter)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
typedef int (*semaphore_waiter)(sem_t *, const struct timespec *);
typedef int (*semaphore_clock_waiter)(sem_t *, clockid_t, const struct timespec *);

/* Python's lock of the interpreter (the GIL) waits with a deadline read on the monotonic clock: left on the
 * replayed clock, far behind the real one, every wait ended at once, and the threads of a Python program spun
 * for the lock instead of waiting, the more the busier the machine. */
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *deadline)
{
    static void *next;
    cond_waiter real = (cond_waiter) definition(&next, "pthread_cond_timedwait", "GLIBC_2.3.2");
    if (real == NULL)
        return ETIMEDOUT; /* nothing to wait with: as if the deadline had passed (callers wait again) */
    if (!movable(deadline))
        return real(cond, mutex, deadline);
    enum kind kind = deadline_kind(deadline);
    struct timespec moved = on_real_clock(deadline, kind, kind == WALL ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    uint64_t start = real_now();
    int done = real(cond, mutex, &moved);
    waited_since(start);
    return done;
}

/* A lock's acquisition with a timeout (Python 3.10's; a semaphore's deadline is on the wall clock). */
int sem_timedwait(sem_t *semaphore, const struct timespec *deadline)
{
    static void *next;
    semaphore_waiter real = (semaphore_waiter) definition(&next, "sem_timedwait", NULL);
    if (real == NULL)
        return taken_now(semaphore);
    if (!movable(deadline))
        return real(semaphore, deadline);
    struct timespec moved = on_real_clock(deadline, WALL, CLOCK_REALTIME);
    uint64_t start = real_now();
    int done = real(semaphore, &moved);
    waited_since(start);
    return done;
}

/* The same on a clock of the caller's choice (Python 3.11 and later: the monotonic clock). */
int sem_clockwait(sem_t *semaphore, clockid_t clock, const struct timespec *deadline)
{
    static void *next;
    semaphore_clock_waiter real = (semaphore_clock_waiter) definition(&next, "sem_clockwait", NULL);
    enum kind kind = kind_of(clock);
    if (real == NULL)
        return taken_now(semaphore);
    if (!movable(deadline) || (kind != WALL && kind != MONOTONIC))
        return real(semaphore, clock, deadline);
    struct timespec moved = on_real_clock(deadline, kind, clock);
    uint64_t start = real_now();
    int done = real(semaphore, clock, &moved);
    waited_since(start);
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

/* --- the replayed process ids --- */

pid_t getpid(void)
{
    seed();
    pid_t real = (pid_t) syscall(SYS_getpid);
    return replaying && real == own_real ? own_shown : real;
}

pid_t getppid(void)
{
    seed();
    pid_t real = (pid_t) syscall(SYS_getppid);
    if (replaying && real == own_real)  /* a forked process: its parent's id as the parent sees it */
        return own_shown;
    if (replaying && real == parent_real && syscall(SYS_getpid) == own_real)
        return parent_shown;
    return real;
}

/* The real process (or group, negated) a shown id names; any other id as it is. */
static pid_t real_of(pid_t pid)
{
    seed();
    if (!replaying)
        return pid;
    if (pid == own_shown || pid == -own_shown)
        return pid < 0 ? -own_real : own_real;
    if (pid == parent_shown || pid == -parent_shown)
        return pid < 0 ? -parent_real : parent_real;
    return pid;
}

int kill(pid_t pid, int signal)
{
    return (int) syscall(SYS_kill, real_of(pid), signal);
}

int killpg(pid_t group, int signal)
{
    if (group < 0) {
        errno = EINVAL;
        return -1;
    }
    return kill(-group, signal);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    return (pid_t) syscall(SYS_wait4, real_of(pid), status, options, usage);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return wait4(pid, status, options, NULL);
}

int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
    if (type == P_PID || type == P_PGID)
        id = (id_t) real_of((pid_t) id);
    return (int) syscall(SYS_waitid, type, id, info, options, NULL);
}

pid_t getpgid(pid_t pid)
{
    return (pid_t) syscall(SYS_getpgid, real_of(pid));
}

int setpgid(pid_t pid, pid_t group)
{
    return (int) syscall(SYS_setpgid, real_of(pid), real_of(group));
}

pid_t getsid(pid_t pid)
{
    return (pid_t) syscall(SYS_getsid, real_of(pid));
}

/* The "who" of a process or a process group: a shown id names the real one. */
static id_t real_who(int which, id_t who)
{
    return which == PRIO_PROCESS || which == PRIO_PGRP ? (id_t) real_of((pid_t) who) : who;
}

int getpriority(int which, id_t who)
{
    /* The system call returns 20 - nice (never negative), as the C library undoes. */
    int done = (int) syscall(SYS_getpriority, which, real_who(which, who));
    return done >= 0 ? 20 - done : done;
}

int setpriority(int which, id_t who, int value)
{
    return (int) syscall(SYS_setpriority, which, real_who(which, who), value);
}

int prlimit(pid_t pid, int resource, const struct rlimit *wanted, struct rlimit *old)
{
    return (int) syscall(SYS_prlimit64, real_of(pid), resource, wanted, old);
}

__attribute__((constructor)) static void line_buffered_stdout(void)
{
    seed();
    setvbuf(stdout, NULL, _IOLBF, 0);
}

/* --- other programs: none is run (see the top of this file) --- */

int system(const char *command)
{
    return command == NULL ? 1 : 0; /* "a shell is there", and the command "succeeded" */
}

/* A process that ends at once with success, in place of the program it was to run. */
static int spawned(pid_t *pid)
{
    pid_t child = fork();
    if (child < 0)
        return errno;
    if (child == 0)
        _exit(0);
    if (pid != NULL)
        *pid = child;
    return 0;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attributes, char *const arguments[], char *const environment[])
{
    (void) path, (void) actions, (void) attributes, (void) arguments, (void) environment;
    return spawned(pid);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attributes, char *const arguments[], char *const environment[])
{
    (void) file, (void) actions, (void) attributes, (void) arguments, (void) environment;
    return spawned(pid);
}

/* A program a forked child executes (Python's subprocess and os.exec*, C's fork then execv): executed where the
 * sandbox lets it, and where the sandbox refuses it, the child ends at once with success, as the command of
 * system() and posix_spawn() does.  Only a refusal is turned into success: a program that is not there is
 * still not found. */
int execve(const char *path, char *const arguments[], char *const environment[])
{
    int done = (int) syscall(SYS_execve, path, arguments, environment);
    if (done < 0 && (errno == EACCES || errno == EPERM))
        _exit(0);
    return done;
}

int execv(const char *path, char *const arguments[])
{
    extern char **environ;
    return execve(path, arguments, environ);
}

/* --- the C library's own generator (glibc 2.36, the BSDs): drawn from the seed --- */

uint32_t arc4random(void)
{
    seed();
    return (uint32_t) (next() >> 32);
}

uint32_t arc4random_uniform(uint32_t upper)
{
    if (upper < 2)
        return 0;
    uint32_t least = (uint32_t) (-upper % upper), value; /* values below it would favour some results */
    do
        value = arc4random();
    while (value < least);
    return value % upper;
}

void arc4random_buf(void *buffer, size_t length)
{
    getrandom(buffer, length, 0);
}
