/* k-means clustering: complete the functions marked TODO.
 *
 * Compile and run the course workflow (reads kmeans_input_file_2d.dat, writes kmeans_output_2d.dat):
 *     gcc -O2 kmeans.c -o kmeans -lm
 *     ./kmeans            (./kmeans 3d for kmeans_input_file_3d.dat)
 * Check your functions:
 *     grader check kmeans --path kmeans.c
 *
 * Conventions (the grader calls these functions directly, so keep their signatures):
 * - a dataset of n points in dimension d is an array of n*d doubles, point after point:
 *   coordinate j of point i is data[i*d + j]; k centers are stored the same way (k*d doubles);
 * - labels are ints from 0 to k-1: labels[i] is the center of point i;
 * - never modify an argument declared const.
 * You may compute in float inside your functions if you like; the arrays you receive and fill are double.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The grader's marker for "not written yet": delete the NOT_IMPLEMENTED line of a function when you write it. */
int not_implemented = 0;
#define NOT_IMPLEMENTED (not_implemented = 1)

/* ---- given: a small random generator (splitmix64), seeded by the caller ---- */

uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A random index in 0..n-1. */
int random_index(uint64_t *state, int n)
{
    return (int)((next_random(state) >> 1) % (uint64_t)n);
}

/* ---- given: the distance ---- */

/* Squared Euclidean distance between two points of dimension d. */
double distance(const double *a, const double *b, int d)
{
    double sum = 0.0;
    for (int j = 0; j < d; j++)
        sum += (a[j] - b[j]) * (a[j] - b[j]);
    return sum;
}

/* ---- to complete ---- */

/* Initialisation: copy into centers the points of data at k DISTINCT indices drawn with random_index,
 * from a generator started at state = seed (uint64_t state = seed; ... random_index(&state, ...)).
 * Return 0, or -1 without writing anything when k < 1 or k > n. */
int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    /* TODO */
    NOT_IMPLEMENTED;
    return 0;
}

/* Association phase: labels[i] = index of a nearest center of point i. */
void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* Update phase: new_centers[c] = mean of the points whose label is c; a center with no point keeps its
 * position (centers[c]). */
void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* Main loop: start from init (k centers), repeat association then update; move = sum over the centers of
 * the squared distance between old and new position; stop as soon as move <= eps, or after max_iter
 * iterations.  Leave the final centers in centers and, in labels, the labels of the last iteration's
 * association (the one its update used: no association after the loop);
 * return the number of iterations done.  Print each step like the course:
 *     printf("Step : %d, error : %f , cent. move : %f \n", step, error, move);
 * where error is the mean squared distance of the points to their center. */
int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    /* TODO */
    NOT_IMPLEMENTED;
    return 0;
}

/* ---- the course workflow: read the data, pick 4 initial centers, run, write the centers ---- */

int main(int argc, char **argv)
{
    const char *dims = argc > 1 ? argv[1] : "2d";
    char input[64], output[64];
    snprintf(input, sizeof input, "kmeans_input_file_%s.dat", dims);
    snprintf(output, sizeof output, "kmeans_output_%s.dat", dims);
    FILE *file = fopen(input, "r");
    if (file == NULL) {
        fprintf(stderr, "cannot open %s: copy it next to this program\n", input);
        return 1;
    }
    int ndim, npoints;
    if (fscanf(file, "%d %d", &ndim, &npoints) != 2)
        return 1;
    printf("%d %d\n", ndim, npoints);
    /* The file holds one line per dimension: transpose it into point after point. */
    double *data = malloc((size_t)ndim * npoints * sizeof *data);
    for (int j = 0; j < ndim; j++)
        for (int i = 0; i < npoints; i++)
            if (fscanf(file, "%lf", &data[i * ndim + j]) != 1)
                return 1;
    fclose(file);
    int k = 4;
    double *init = malloc((size_t)k * ndim * sizeof *init);
    double *centers = malloc((size_t)k * ndim * sizeof *centers);
    int *labels = malloc((size_t)npoints * sizeof *labels);
    if (init_centers(data, npoints, ndim, k, 20261125u, init) != 0 || not_implemented) {
        printf("init_centers is not implemented yet (or failed)\n");
        return 1;
    }
    int steps = kmeans(data, npoints, ndim, init, k, 0.001, 100, centers, labels);
    if (not_implemented) {
        printf("kmeans is not implemented yet\n");
        return 1;
    }
    printf("converged in %d steps\n", steps);
    file = fopen(output, "w");
    fprintf(file, " %d %d \n", ndim, k);
    for (int c = 0; c < k; c++) {
        for (int j = 0; j < ndim; j++)
            fprintf(file, "%f ", centers[c * ndim + j]);
        fprintf(file, "\n");
    }
    fclose(file);
    free(data);
    free(init);
    free(centers);
    free(labels);
    return 0;
}
