/* Correct: loops as in the course, double precision, ties to the last center. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int not_implemented = 0;

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
    int *taken = calloc(n, sizeof(int));
    for (int c = 0; c < k; c++) {
        int i = random_index(&state, n);
        while (taken[i])
            i = random_index(&state, n);
        taken[i] = 1;
        for (int j = 0; j < d; j++)
            centers[c * d + j] = data[i * d + j];
    }
    free(taken);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    for (int i = 0; i < n; i++) {
        double best = INFINITY;
        for (int c = 0; c < k; c++) {
            double dist = distance(&data[i * d], &centers[c * d], d);
            if (dist <= best) {
                best = dist;
                labels[i] = c;
            }
        }
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    for (int c = 0; c < k; c++) {
        int count = 0;
        for (int j = 0; j < d; j++)
            new_centers[c * d + j] = 0.0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == c) {
                count++;
                for (int j = 0; j < d; j++)
                    new_centers[c * d + j] += data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            if (count > 0)
                new_centers[c * d + j] /= count;
            else
                new_centers[c * d + j] = centers[c * d + j];
        }
    }
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double *new_centers = malloc(k * d * sizeof(double));
    for (int x = 0; x < k * d; x++)
        centers[x] = init[x];
    for (int i = 0; i < n; i++)
        labels[i] = 0;
    int n_iter = 0;
    while (n_iter < max_iter) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, new_centers);
        double move = 0.0;
        for (int c = 0; c < k; c++)
            move += distance(&new_centers[c * d], &centers[c * d], d);
        for (int x = 0; x < k * d; x++)
            centers[x] = new_centers[x];
        n_iter++;
        printf("Step : %d, cent. move : %f \n", n_iter, move);
        if (move <= eps)
            break;
    }
    free(new_centers);
    return n_iter;
}
