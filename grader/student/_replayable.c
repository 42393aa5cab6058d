/* Makes a program's random start reproducible: loaded before it (LD_PRELOAD) by the grader.
 *
 * The course's programs seed their random start from the clock (C: srand(time(NULL))) or
 * from the system's entropy (Fortran's random_seed(), numpy's global generator, Python's
 * random): two gradings of the same program would start differently.  This library
 * replaces time(), getrandom() and getentropy() with values drawn from GRADER_RUN_SEED
 * (splitmix64), which the grader derives from the run's input, so the same program on the
 * same data starts the same way every time, and different data start differently.
 *
 * It also makes standard output line-buffered, as it is in a terminal: the grader reads stdout
 * and stderr from one pipe, where the C library would otherwise buffer stdout by blocks of 4 KB
 * and write them mid-line, so that a line the program prints on (unbuffered) stderr in between
 * would land inside a stdout line.  Line-buffered, what the pipe holds is what a user sees.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

static uint64_t state;
static int ready;

static void seed(void)
{
    if (ready)
        return;
    const char *text = getenv("GRADER_RUN_SEED");
    state = text ? strtoull(text, NULL, 10) : 0;
    ready = 1;
}

static uint64_t next(void)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
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

time_t time(time_t *where)
{
    seed();
    time_t now = (time_t) (1700000000 + (time_t) (state % 100000000));
    if (where)
        *where = now;
    return now;
}

__attribute__((constructor)) static void line_buffered_stdout(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
}
