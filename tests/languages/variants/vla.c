/* Correct: C99 variable-length arrays, pointers to rows (double (*)[d]), scratch arrays on the stack. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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
    const double (*points)[d] = (const double (*)[d])data;
    double (*out)[d] = (double (*)[d])centers;
    char used[n];
    memset(used, 0, sizeof used);
    uint64_t state = seed;
    for (int c = 0; c < k; c++) {
        int i;
        do
            i = random_index(&state, n);
        while (used[i]);
        used[i] = 1;
        for (int j = 0; j < d; j++)
            out[c][j] = points[i][j];
    }
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    const double (*points)[d] = (const double (*)[d])data;
    const double (*middles)[d] = (const double (*)[d])centers;
    double dists[k];
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++)
            dists[c] = distance(points[i], middles[c], d);
        int best = 0;
        for (int c = 1; c < k; c++)
            if (dists[c] < dists[best])
                best = c;
        labels[i] = best;
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    const double (*points)[d] = (const double (*)[d])data;
    const double (*old)[d] = (const double (*)[d])centers;
    double (*out)[d] = (double (*)[d])new_centers;
    double sums[k][d];
    int counts[k];
    memset(sums, 0, sizeof sums);
    memset(counts, 0, sizeof counts);
    for (int i = 0; i < n; i++) {
        counts[labels[i]]++;
        for (int j = 0; j < d; j++)
            sums[labels[i]][j] += points[i][j];
    }
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            out[c][j] = counts[c] ? sums[c][j] / counts[c] : old[c][j];
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double next[k][d];
    memcpy(centers, init, sizeof next);
    for (int step = 1; step <= max_iter; step++) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, &next[0][0]);
        double move = 0.0, error = 0.0;
        for (int c = 0; c < k; c++)
            move += distance(centers + c * d, next[c], d);
        for (int i = 0; i < n; i++)
            error += distance(data + i * d, centers + labels[i] * d, d);
        memcpy(centers, next, sizeof next);
        printf("Step : %d, error : %f , cent. move : %f \n", step, error / n, move);
        if (move <= eps)
            return step;
    }
    return max_iter;
}
