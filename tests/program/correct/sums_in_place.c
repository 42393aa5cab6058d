/* Course style with the distance in a helper, the nearest center found with a minimum index,
 * recursion-free; "r" read; the data read with fscanf("%f") in one flat loop over ndim*npoints
 * (the file is dimension-major, so index d*npoints+i); steps printed "Iteration 3/100 ..."; the output
 * file written with "%g". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <math.h>

int k = 4;

int nearest(float *pt, float *cent, int ndim, float *dmin)
{
    int best = 0;
    *dmin = INFINITY;
    for (int j = 0; j < k; j++) {
        float dd = 0;
        for (int d = 0; d < ndim; d++) dd += powf(pt[d] - cent[j * ndim + d], 2);
        if (dd < *dmin) { *dmin = dd; best = j; }
    }
    return best;
}

int main()
{
    int ndim, nb_data;
    FILE *f = fopen("kmeans_input_file_2d.dat", "r");
    fscanf(f, "%d%d", &ndim, &nb_data);
    float *raw = malloc(ndim * nb_data * sizeof(float));
    for (int t = 0; t < ndim * nb_data; t++) fscanf(f, "%f", raw + t);
    fclose(f);
    float *pts = malloc(ndim * nb_data * sizeof(float));
    for (int d = 0; d < ndim; d++)
        for (int i = 0; i < nb_data; i++) pts[i * ndim + d] = raw[d * nb_data + i];

    float *cent = malloc(k * ndim * sizeof(float)), *acc = malloc(k * ndim * sizeof(float));
    int *num = malloc(k * sizeof(int));
    srand(time(NULL));
    for (int j = 0; j < k; j++) {
        int p = rand() % nb_data;
        for (int d = 0; d < ndim; d++) cent[j * ndim + d] = pts[p * ndim + d];
    }
    for (int l = 1;; l++) {
        float all_dist = 0, cent_mov = 0, dmin;
        for (int t = 0; t < k * ndim; t++) acc[t] = 0;
        for (int j = 0; j < k; j++) num[j] = 0;
        for (int i = 0; i < nb_data; i++) {
            int b = nearest(pts + i * ndim, cent, ndim, &dmin);
            num[b]++;
            all_dist += dmin;
            for (int d = 0; d < ndim; d++) acc[b * ndim + d] += pts[i * ndim + d];
        }
        for (int j = 0; j < k; j++) {
            if (num[j] == 0) continue;
            for (int d = 0; d < ndim; d++) {
                float m = acc[j * ndim + d] / num[j];
                cent_mov += (m - cent[j * ndim + d]) * (m - cent[j * ndim + d]);
                cent[j * ndim + d] = m;
            }
        }
        printf("Iteration %d/%d  error = %f  move = %f\n", l, 100, all_dist / nb_data, cent_mov);
        if (cent_mov <= 0.001 || l >= 100) break;
    }
    f = fopen("kmeans_output_2d.dat", "w");
    fprintf(f, "%d %d\n", ndim, k);
    for (int j = 0; j < k; j++) {
        for (int d = 0; d < ndim; d++) fprintf(f, "%g ", cent[j * ndim + d]);
        fprintf(f, "\n");
    }
    fclose(f);
    return 0;
}
