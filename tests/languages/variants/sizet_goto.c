/* Correct: size_t indices counting down (for (size_t c = k; c-- > 0;)), long double sums, a static scratch
 * buffer grown with realloc and reset at every call, the main loop as for (;;) with goto. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int random_index(uint64_t *state, int n)
{
    return (int)((next_random(state) >> 1) % (uint64_t)n);
}

double distance(const double *a, const double *b, int d)
{
    double sum = 0.0;
    for (int j = 0; j < d; j++)
        sum += (a[j] - b[j]) * (a[j] - b[j]);
    return sum;
}

static long double *scratch;
static size_t scratch_size;

static long double *zeroed(size_t count)
{
    if (count > scratch_size) {
        long double *bigger = realloc(scratch, count * sizeof *bigger);
        if (bigger == NULL)
            abort();
        scratch = bigger;
        scratch_size = count;
    }
    for (size_t x = 0; x < count; x++)
        scratch[x] = 0.0L;
    return scratch;
}

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k <= 0 || k > n)
        return -1;
    uint64_t state = seed;
    size_t dim = (size_t)d;
    long double *taken = zeroed((size_t)n);
    for (size_t c = 0; c < (size_t)k; c++) {
        size_t i;
        do
            i = (size_t)random_index(&state, n);
        while (taken[i] != 0.0L);
        taken[i] = 1.0L;
        memcpy(centers + c * dim, data + i * dim, dim * sizeof(double));
    }
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    size_t dim = (size_t)d;
    for (size_t i = (size_t)n; i-- > 0;) {
        size_t best = (size_t)k - 1;
        double best_dist = distance(data + i * dim, centers + best * dim, d);
        for (size_t c = best; c-- > 0;) {
            double dist = distance(data + i * dim, centers + c * dim, d);
            if (dist < best_dist) {
                best_dist = dist;
                best = c;
            }
        }
        labels[i] = (int)best;
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    size_t dim = (size_t)d, rows = (size_t)k;
    long double *sums = zeroed(rows * (dim + 1));   /* per center: d sums, then the count */
    for (size_t i = 0; i < (size_t)n; i++) {
        long double *row = sums + (size_t)labels[i] * (dim + 1);
        for (size_t j = 0; j < dim; j++)
            row[j] += data[i * dim + j];
        row[dim] += 1.0L;
    }
    for (size_t c = rows; c-- > 0;)
        for (size_t j = 0; j < dim; j++) {
            long double *row = sums + c * (dim + 1);
            new_centers[c * dim + j] = row[dim] > 0 ? (double)(row[j] / row[dim]) : centers[c * dim + j];
        }
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    size_t size = (size_t)k * (size_t)d;
    double *next = malloc(size * sizeof *next);
    int done = 0;
    memcpy(centers, init, size * sizeof *centers);
    for (;;) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, next);
        double move = 0.0;
        for (size_t x = 0; x < size; x++) {
            move += (next[x] - centers[x]) * (next[x] - centers[x]);
            centers[x] = next[x];
        }
        done++;
        if (move <= eps || done == max_iter)
            goto finished;
    }
finished:
    free(next);
    return done;
}
