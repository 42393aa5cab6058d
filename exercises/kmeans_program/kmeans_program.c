/* k-means, the whole program (to complete).
 *
 * Reads kmeans_input_file_2d.dat (first line "ndim npoints", then one line per
 * coordinate), is to cluster the points around K centers picked at random among them,
 * print one line per iteration and write kmeans_output_2d.dat (first line
 * "ndim k", then one center per line).  It must work in any dimension.
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

int main(void)
{
    int ndim, npoints;
    FILE *f = fopen("kmeans_input_file_2d.dat", "r");
    if (f == NULL) {
        fprintf(stderr, "cannot open kmeans_input_file_2d.dat\n");
        return 1;
    }
    if (fscanf(f, "%d %d", &ndim, &npoints) != 2 || ndim < 1 || npoints < 1) {
        fprintf(stderr, "bad header in kmeans_input_file_2d.dat\n");
        return 1;
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
                return 1;
            }
    fclose(f);

    /* Random initial centers: K data points, indices 0 .. npoints-1 (two may coincide). */
    srand(time(NULL));
    for (int j = 0; j < K; j++) {
        int index = rand() % npoints;
        for (int d = 0; d < ndim; d++)
            centers[j * ndim + d] = data[index * ndim + d];
    }

    /* TODO: the main loop, for step = 1, 2, ... up to MAX_ITER:
     *   - association phase: for each point, the nearest center (use distance());
     *     add the point to that center's sums and counts, and its distance to the error;
     *   - update phase: move each center that has points to the mean of its points
     *     (a center without points stays where it is); move = the sum over centers of the
     *     squared distance between the old and the new position;
     *   - printf("Step : %d, error : %f , cent. move : %f \n", step, error / npoints, move);
     *   - stop as soon as move <= EPS.
     */

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
    return 0;
}
