/* Correct: pointer arithmetic everywhere (walking pointers instead of indices), ties to the first center. */
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

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k < 1 || k > n)
        return -1;
    uint64_t state = seed;
    int *order = malloc(n * sizeof *order), *p;
    for (p = order; p < order + n; p++)
        *p = (int)(p - order);
    /* partial Fisher-Yates: order[0..k-1] are k distinct indices */
    for (int c = 0; c < k; c++) {
        int *q = order + c + random_index(&state, n - c), t = *q;
        *q = order[c];
        order[c] = t;
        memcpy(centers + c * d, data + t * d, d * sizeof *centers);
    }
    free(order);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    const double *end = data + (size_t)n * d, *last = centers + (size_t)k * d;
    for (const double *point = data; point < end; point += d, labels++) {
        double best = -1.0;
        for (const double *c = centers; c < last; c += d) {
            double s = 0.0;
            for (const double *a = point, *b = c; a < point + d; a++, b++)
                s += (*a - *b) * (*a - *b);
            if (best < 0.0 || s < best) {
                best = s;
                *labels = (int)((c - centers) / d);
            }
        }
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    int *count = calloc(k, sizeof *count);
    double *out, *stop = new_centers + (size_t)k * d;
    for (out = new_centers; out < stop; out++)
        *out = 0.0;
    const double *point = data;
    for (const int *l = labels; l < labels + n; l++, point += d) {
        double *sum = new_centers + *l * d;
        count[*l]++;
        for (const double *x = point; x < point + d; x++)
            *sum++ += *x;
    }
    const double *old = centers;
    int *m = count;
    for (out = new_centers; out < stop; m++) {
        for (int j = 0; j < d; j++, out++, old++)
            *out = *m ? *out / *m : *old;
    }
    free(count);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    size_t size = (size_t)k * d;
    double *next = malloc(size * sizeof *next);
    memcpy(centers, init, size * sizeof *centers);
    int it = 0;
    while (it++ < max_iter) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, next);
        double move = 0.0;
        for (double *a = centers, *b = next; a < centers + size; a++, b++) {
            move += (*a - *b) * (*a - *b);
            *a = *b;
        }
        if (move <= eps)
            break;
    }
    free(next);
    return it > max_iter ? max_iter : it;
}
