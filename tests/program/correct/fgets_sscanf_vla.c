/* The header read with fgets + sscanf, the values with fscanf("%lf") into a variable-length array
 * data[npoints][ndim]; error and move in float, centers in float; printed like the course
 * but with fewer decimals (%.4f); the output with %12.6f. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NCLUST 4

int main(void)
{
    char buf[256];
    int ndim, npoints, i, j, d, iter;
    FILE *fp = fopen("kmeans_input_file_2d.dat", "r+");
    if (!fp) { printf("cannot open the data file\n"); exit(1); }
    fgets(buf, sizeof buf, fp);
    sscanf(buf, "%d %d", &ndim, &npoints);
    printf("ndim = %d, npoints = %d\n", ndim, npoints);
    float (*data)[ndim] = malloc(sizeof(float[npoints][ndim]));
    for (d = 0; d < ndim; d++)
        for (i = 0; i < npoints; i++) {
            double v;
            fscanf(fp, "%lf", &v);
            data[i][d] = (float) v;
        }
    fclose(fp);

    float centers[NCLUST][ndim], newc[NCLUST][ndim];
    int nb[NCLUST], assigned[npoints];
    srand((unsigned int) time(0));
    for (j = 0; j < NCLUST; j++) {
        int r = rand() % npoints;
        for (d = 0; d < ndim; d++) centers[j][d] = data[r][d];
    }
    for (iter = 1; iter <= 100; iter++) {
        float error = 0.f, move = 0.f;
        for (i = 0; i < npoints; i++) {
            float dmin = -1.f;
            for (j = 0; j < NCLUST; j++) {
                float dist = 0.f;
                for (d = 0; d < ndim; d++) dist += (data[i][d] - centers[j][d]) * (data[i][d] - centers[j][d]);
                if (dmin < 0.f || dist < dmin) { dmin = dist; assigned[i] = j; }
            }
            error += dmin;
        }
        for (j = 0; j < NCLUST; j++) {
            nb[j] = 0;
            for (d = 0; d < ndim; d++) newc[j][d] = 0.f;
        }
        for (i = 0; i < npoints; i++) {
            nb[assigned[i]] += 1;
            for (d = 0; d < ndim; d++) newc[assigned[i]][d] += data[i][d];
        }
        for (j = 0; j < NCLUST; j++)
            if (nb[j] != 0)
                for (d = 0; d < ndim; d++) {
                    float m = newc[j][d] / nb[j];
                    move += (m - centers[j][d]) * (m - centers[j][d]);
                    centers[j][d] = m;
                }
        printf("Step : %3d, error : %.4f , cent. move : %.4f\n", iter, error / npoints, move);
        if (move <= 0.001f) break;
    }
    fp = fopen("kmeans_output_2d.dat", "w");
    fprintf(fp, "%d %d\n", ndim, NCLUST);
    for (j = 0; j < NCLUST; j++) {
        for (d = 0; d < ndim; d++) fprintf(fp, "%12.6f", centers[j][d]);
        fputc('\n', fp);
    }
    fclose(fp);
    free(data);
    return 0;
}
