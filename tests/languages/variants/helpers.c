/* Correct: separate helper functions, ties to the first center, early checks. */
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
    double s = 0.0;
    for (int j = 0; j < d; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return s;
}

static const double *row(const double *array, int i, int d) { return array + (size_t)i * d; }

static int nearest(const double *point, const double *centers, int k, int d)
{
    int best = 0;
    for (int c = 1; c < k; c++)
        if (distance(point, row(centers, c, d), d) < distance(point, row(centers, best, d), d))
            best = c;
    return best;
}

static void mean_of(const double *data, int n, int d, const int *labels, int c, const double *fallback,
                    double *out)
{
    int count = 0;
    memset(out, 0, d * sizeof(double));
    for (int i = 0; i < n; i++)
        if (labels[i] == c) {
            count++;
            for (int j = 0; j < d; j++)
                out[j] += row(data, i, d)[j];
        }
    for (int j = 0; j < d; j++)
        out[j] = count ? out[j] / count : fallback[j];
}

static double moved(const double *a, const double *b, int k, int d)
{
    double total = 0.0;
    for (int c = 0; c < k; c++)
        total += distance(row(a, c, d), row(b, c, d), d);
    return total;
}

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k < 1 || k > n)
        return -1;
    uint64_t state = seed;
    int *chosen = malloc(k * sizeof(int));
    for (int c = 0; c < k; c++) {
        int again;
        do {
            chosen[c] = random_index(&state, n);
            again = 0;
            for (int p = 0; p < c; p++)
                again |= chosen[p] == chosen[c];
        } while (again);
        memcpy(centers + (size_t)c * d, row(data, chosen[c], d), d * sizeof(double));
    }
    free(chosen);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    for (int i = 0; i < n; i++)
        labels[i] = nearest(row(data, i, d), centers, k, d);
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    for (int c = 0; c < k; c++)
        mean_of(data, n, d, labels, c, row(centers, c, d), new_centers + (size_t)c * d);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double *next = malloc((size_t)k * d * sizeof(double));
    memcpy(centers, init, (size_t)k * d * sizeof(double));
    memset(labels, 0, n * sizeof(int));
    int it;
    for (it = 0; it < max_iter;) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, next);
        double move = moved(centers, next, k, d);
        memcpy(centers, next, (size_t)k * d * sizeof(double));
        it++;
        if (move <= eps)
            break;
    }
    free(next);
    return it;
}
