/* Correct: the reference with OpenMP: a parallel loop over the points in assign, and a call of the OpenMP
 * runtime (omp_get_max_threads), built as "gcc -fopenmp" builds it. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The course's generator: splitmix64, seeded by the caller. */
uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A random index in 0..n-1 (from the top 63 bits, as the Fortran version does). */
int random_index(uint64_t *state, int n)
{
    return (int)((next_random(state) >> 1) % (uint64_t)n);
}

/* Squared Euclidean distance between two points of dimension d. */
double distance(const double *a, const double *b, int d)
{
    double sum = 0.0;
    for (int j = 0; j < d; j++) {
        double diff = a[j] - b[j];
        sum += diff * diff;
    }
    return sum;
}

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k < 1 || k > n)
        return -1;
    int *order = malloc((size_t)n * sizeof *order);
    if (order == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        order[i] = i;
    uint64_t state = seed;
    /* A partial Fisher-Yates shuffle: k distinct indices. */
    for (int c = 0; c < k; c++) {
        int pick = c + random_index(&state, n - c);
        int tmp = order[c];
        order[c] = order[pick];
        order[pick] = tmp;
        memcpy(&centers[c * d], &data[order[c] * d], (size_t)d * sizeof(double));
    }
    free(order);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    if (omp_get_max_threads() < 1)
        return;
#pragma omp parallel for
    for (int i = 0; i < n; i++) {
        int best = 0;
        double best_dist = distance(&data[i * d], &centers[0], d);
        for (int c = 1; c < k; c++) {
            double dist = distance(&data[i * d], &centers[c * d], d);
            if (dist < best_dist) {
                best_dist = dist;
                best = c;
            }
        }
        labels[i] = best;
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    int *count = calloc((size_t)k, sizeof *count);
    for (int x = 0; x < k * d; x++)
        new_centers[x] = 0.0;
    for (int i = 0; i < n; i++) {
        count[labels[i]]++;
        for (int j = 0; j < d; j++)
            new_centers[labels[i] * d + j] += data[i * d + j];
    }
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            new_centers[c * d + j] = count[c] > 0 ? new_centers[c * d + j] / count[c] : centers[c * d + j];
    free(count);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double *next = malloc((size_t)k * d * sizeof *next);
    memcpy(centers, init, (size_t)k * d * sizeof(double));
    for (int i = 0; i < n; i++)
        labels[i] = 0;
    int n_iter = 0;
    while (n_iter < max_iter) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, next);
        double move = 0.0;
        for (int c = 0; c < k; c++)
            move += distance(&centers[c * d], &next[c * d], d);
        memcpy(centers, next, (size_t)k * d * sizeof(double));
        n_iter++;
        if (move <= eps)
            break;
    }
    free(next);
    return n_iter;
}

/* The course workflow: read the data, pick 4 initial centers, run, print each step, write the centers. */
int main(int argc, char **argv)
{
    const char *dims = argc > 1 ? argv[1] : "2d";
    char input[64], output[64];
    snprintf(input, sizeof input, "kmeans_input_file_%s.dat", dims);
    snprintf(output, sizeof output, "kmeans_output_%s.dat", dims);
    FILE *file = fopen(input, "r");
    if (file == NULL) {
        fprintf(stderr, "cannot open %s\n", input);
        return 1;
    }
    int ndim, npoints;
    if (fscanf(file, "%d %d", &ndim, &npoints) != 2)
        return 1;
    printf("%d %d\n", ndim, npoints);
    double *data = malloc((size_t)ndim * npoints * sizeof *data);
    for (int j = 0; j < ndim; j++)
        for (int i = 0; i < npoints; i++)
            if (fscanf(file, "%lf", &data[i * ndim + j]) != 1)
                return 1;
    fclose(file);
    int k = 4;
    double *init = malloc((size_t)k * ndim * sizeof *init), *centers = malloc((size_t)k * ndim * sizeof *centers);
    int *labels = malloc((size_t)npoints * sizeof *labels);
    if (init_centers(data, npoints, ndim, k, 20261125u, init) != 0)
        return 1;
    int steps = kmeans(data, npoints, ndim, init, k, 0.001, 100, centers, labels);
    printf("converged in %d steps\n", steps);
    file = fopen(output, "w");
    fprintf(file, " %d %d \n", ndim, k);
    for (int c = 0; c < k; c++) {
        for (int j = 0; j < ndim; j++)
            fprintf(file, "%f ", centers[c * ndim + j]);
        fprintf(file, "\n");
    }
    fclose(file);
    free(data), free(init), free(centers), free(labels);
    return 0;
}
