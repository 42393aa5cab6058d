/* Correct: index macros, static inline helpers, restrict pointers, Floyd's sampling of k distinct indices,
 * the update loop over dimensions outside the loop over points. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define AT(array, row, col) ((array)[(size_t)(row) * (size_t)d + (size_t)(col)])
#define SQUARE(x) ((x) * (x))
#define FOR(var, count) for (int var = 0; var < (count); var++)

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

static inline int contains(const int *restrict set, int size, int value)
{
    FOR(s, size) if (set[s] == value) return 1;
    return 0;
}

static inline double squared(const double *restrict a, const double *restrict b, int d)
{
    double s = 0.0;
    FOR(j, d) s += SQUARE(a[j] - b[j]);
    return s;
}

int init_centers(const double *restrict data, int n, int d, int k, uint64_t seed, double *restrict centers)
{
    if (k < 1 || k > n)
        return -1;
    uint64_t state = seed;
    int *chosen = malloc((size_t)k * sizeof *chosen);
    int size = 0;
    /* Floyd: for j = n-k..n-1, draw t in 0..j; take t unless already taken, else j. */
    for (int j = n - k; j < n; j++) {
        int t = random_index(&state, j + 1);
        chosen[size] = contains(chosen, size, t) ? j : t;
        size++;
    }
    FOR(c, k) FOR(j, d) AT(centers, c, j) = AT(data, chosen[c], j);
    free(chosen);
    return 0;
}

void assign(const double *restrict data, int n, int d, const double *restrict centers, int k, int *restrict labels)
{
    FOR(i, n) {
        int best = k - 1;
        double dbest = squared(&AT(data, i, 0), &AT(centers, best, 0), d);
        for (int c = k - 2; c >= 0; c--) {
            double dist = squared(&AT(data, i, 0), &AT(centers, c, 0), d);
            if (dist < dbest) {
                dbest = dist;
                best = c;
            }
        }
        labels[i] = best;
    }
}

void update(const double *restrict data, int n, int d, const int *restrict labels, const double *restrict centers,
            int k, double *restrict new_centers)
{
    int *count = calloc((size_t)k, sizeof *count);
    FOR(i, n) count[labels[i]]++;
    FOR(j, d) {
        FOR(c, k) AT(new_centers, c, j) = 0.0;
        FOR(i, n) AT(new_centers, labels[i], j) += AT(data, i, j);
        FOR(c, k) AT(new_centers, c, j) = count[c] > 0 ? AT(new_centers, c, j) / count[c] : AT(centers, c, j);
    }
    free(count);
}

int kmeans(const double *restrict data, int n, int d, const double *restrict init, int k, double eps, int max_iter,
           double *restrict centers, int *restrict labels)
{
    double *next = malloc((size_t)k * d * sizeof *next);
    memcpy(centers, init, (size_t)k * d * sizeof *centers);
    int steps = 0;
    double move;
    do {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, next);
        move = 0.0;
        FOR(c, k) move += squared(&AT(centers, c, 0), &AT(next, c, 0), d);
        memcpy(centers, next, (size_t)k * d * sizeof *centers);
        steps++;
    } while (move > eps && steps < max_iter);
    free(next);
    return steps;
}
