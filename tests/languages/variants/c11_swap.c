/* Correct: C11 (_Static_assert, _Generic, compound literals, designated initialisers, a struct view of the
 * arrays), two center buffers swapped by pointer each iteration, the main loop as a tail-recursive helper. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(double) == 8, "doubles are 64-bit");

#define ABS(x) _Generic((x), double: fabs_, float: fabsf_)(x)
static double fabs_(double x) { return x < 0 ? -x : x; }
static float fabsf_(float x) { return x < 0 ? -x : x; }

typedef struct {
    const double *rows;
    int count, dim;
} points_t;

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

static const double *point(points_t p, int i) { return p.rows + (size_t)i * p.dim; }

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k < 1 || k > n)
        return -1;
    points_t p = {.rows = data, .count = n, .dim = d};
    bool *taken = calloc((size_t)n, sizeof(bool));
    uint64_t state = seed;
    for (int c = 0; c < k;) {
        int i = random_index(&state, p.count);
        if (taken[i])
            continue;
        taken[i] = true;
        memcpy(centers + (size_t)c++ * d, point(p, i), sizeof(double[d]));
    }
    free(taken);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    points_t p = {.rows = data, .count = n, .dim = d}, m = {.rows = centers, .count = k, .dim = d};
    for (int i = 0; i < p.count; i++) {
        struct { double dist; int index; } best = {.dist = distance(point(p, i), point(m, 0), d), .index = 0};
        for (int c = 1; c < m.count; c++) {
            double dist = distance(point(p, i), point(m, c), d);
            if (dist <= best.dist)
                best = (typeof(best)){.dist = dist, .index = c};
        }
        labels[i] = best.index;
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    for (int c = 0; c < k; c++) {
        double *mean = new_centers + (size_t)c * d;
        int members = 0;
        for (int j = 0; j < d; j++)
            mean[j] = 0.0;
        for (int i = 0; i < n; i++) {
            if (labels[i] != c)
                continue;
            members++;
            for (int j = 0; j < d; j++)
                mean[j] += data[(size_t)i * d + j];
        }
        for (int j = 0; j < d; j++)
            mean[j] = members ? mean[j] / members : centers[(size_t)c * d + j];
    }
}

static int iterate(const double *data, int n, int d, int k, double eps, int left, double *now, double *spare,
                   int *labels, int done, double **final)
{
    assign(data, n, d, now, k, labels);
    update(data, n, d, labels, now, k, spare);
    double move = 0.0;
    for (int x = 0; x < k * d; x++)
        move += (spare[x] - now[x]) * (spare[x] - now[x]);
    *final = spare;
    if (ABS(move) <= eps || left == 1)
        return done + 1;
    return iterate(data, n, d, k, eps, left - 1, spare, now, labels, done + 1, final);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double *spare = malloc(sizeof(double[k * d])), *final = NULL;
    memcpy(centers, init, sizeof(double[k * d]));
    int steps = iterate(data, n, d, k, eps, max_iter, centers, spare, labels, 0, &final);
    if (final != centers)
        memcpy(centers, final, sizeof(double[k * d]));
    free(spare);
    return steps;
}
