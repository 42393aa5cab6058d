/* void main, as many students write it (gcc warns; the status it exits with is whatever printf left: not an
 * error of the program), a last line printed after the output file is written. */
/* k-means, the whole program (reference solution of the kmeans_program exercise).
 *
 * Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
 * coordinate), clusters the points around K centers picked at random among them,
 * prints one line per iteration and writes kmeans_output_2d.dat (first line
 * "ndim k", then one center per line).  Works in any dimension.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define K 4
#define EPS 0.001f
#define MAX_ITER 100

float distance(const float *a, const float *b, int ndim)
{
    float sum = 0.0f;
    for (int d = 0; d < ndim; d++)
        sum += (a[d] - b[d]) * (a[d] - b[d]);
    return sum;
}

void main(void)
{
    int ndim, npoints;
    FILE *f = fopen("kmeans_input_file_2d.dat", "r");
    if (f == NULL) {
        fprintf(stderr, "cannot open kmeans_input_file_2d.dat\n");
        exit(1);
    }
    if (fscanf(f, "%d %d", &ndim, &npoints) != 2 || ndim < 1 || npoints < 1) {
        fprintf(stderr, "bad header in kmeans_input_file_2d.dat\n");
        exit(1);
    }
    printf("%d %d\n", ndim, npoints);
    float *data = malloc(sizeof(float) * ndim * npoints);      /* data[i*ndim + d] */
    float *centers = malloc(sizeof(float) * ndim * K);
    float *sums = malloc(sizeof(float) * ndim * K);
    int counts[K];
    for (int d = 0; d < ndim; d++)
        for (int i = 0; i < npoints; i++)
            if (fscanf(f, "%f", &data[i * ndim + d]) != 1) {
                fprintf(stderr, "missing value in kmeans_input_file_2d.dat\n");
                exit(1);
            }
    fclose(f);

    /* Random initial centers: K data points, indices 0 .. npoints-1 (two may coincide). */
    srand(time(NULL));
    for (int j = 0; j < K; j++) {
        int index = rand() % npoints;
        for (int d = 0; d < ndim; d++)
            centers[j * ndim + d] = data[index * ndim + d];
    }

    for (int step = 1; step <= MAX_ITER; step++) {
        /* Association phase: each point goes to its nearest center. */
        float error = 0.0f;
        for (int j = 0; j < K; j++) {
            counts[j] = 0;
            for (int d = 0; d < ndim; d++)
                sums[j * ndim + d] = 0.0f;
        }
        for (int i = 0; i < npoints; i++) {
            int best = 0;
            float best_dist = distance(&data[i * ndim], &centers[0], ndim);
            for (int j = 1; j < K; j++) {
                float dist = distance(&data[i * ndim], &centers[j * ndim], ndim);
                if (dist < best_dist) {
                    best = j;
                    best_dist = dist;
                }
            }
            counts[best]++;
            for (int d = 0; d < ndim; d++)
                sums[best * ndim + d] += data[i * ndim + d];
            error += best_dist;
        }
        /* Update phase: each center moves to the mean of its points; a center without points stays. */
        float move = 0.0f;
        for (int j = 0; j < K; j++) {
            if (counts[j] == 0)
                continue;
            for (int d = 0; d < ndim; d++)
                sums[j * ndim + d] /= counts[j];
            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);
            for (int d = 0; d < ndim; d++)
                centers[j * ndim + d] = sums[j * ndim + d];
        }
        printf("Step : %d, error : %f , cent. move : %f \n", step, error / npoints, move);
        if (move <= EPS)
            break;
    }

    f = fopen("kmeans_output_2d.dat", "w");
    fprintf(f, " %d %d \n", ndim, K);
    for (int j = 0; j < K; j++) {
        for (int d = 0; d < ndim; d++)
            fprintf(f, "%f ", centers[j * ndim + d]);
        fprintf(f, "\n");
    }
    fclose(f);
    free(data);
    free(centers);
    free(sums);
    printf("done: centers written to kmeans_output_2d.dat\n");
}
