/* Course style in double precision, 2-D arrays with a maximum size, "r+" as in the course. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#define NMAX 5000
#define DMAX 16
int nb_data, dim;
double data[NMAX][DMAX], cent[4][DMAX], newc[4][DMAX];
int cnt[4];
double dist2(double *a, double *b) { double s = 0; int d; for (d = 0; d < dim; d++) s += (a[d]-b[d])*(a[d]-b[d]); return s; }
int main() {
  int i, j, d, l, k = 4;
  FILE *f = fopen("kmeans_input_file_2d.dat", "r+");
  fscanf(f, "%d %d", &dim, &nb_data);
  printf("%d %d\n", dim, nb_data);
  for (d = 0; d < dim; d++) for (i = 0; i < nb_data; i++) fscanf(f, "%lf", &data[i][d]);
  fclose(f);
  srand(time(NULL));
  for (j = 0; j < k; j++) { int r = rand() % nb_data; for (d = 0; d < dim; d++) cent[j][d] = data[r][d]; }
  for (l = 1; l <= 100; l++) {
    double all_dist = 0, cent_mov = 0;
    for (j = 0; j < k; j++) { cnt[j] = 0; for (d = 0; d < dim; d++) newc[j][d] = 0; }
    for (i = 0; i < nb_data; i++) {
      int best = 0; double bd = dist2(data[i], cent[0]);
      for (j = 1; j < k; j++) { double dd = dist2(data[i], cent[j]); if (dd <= bd) { bd = dd; best = j; } }
      all_dist += bd; cnt[best]++;
      for (d = 0; d < dim; d++) newc[best][d] += data[i][d];
    }
    for (j = 0; j < k; j++) if (cnt[j] > 0) {
      for (d = 0; d < dim; d++) newc[j][d] /= cnt[j];
      cent_mov += dist2(newc[j], cent[j]);
      for (d = 0; d < dim; d++) cent[j][d] = newc[j][d];
    }
    printf("Step : %d, error : %f , cent. move : %f \n", l, all_dist / nb_data, cent_mov);
    if (cent_mov <= 0.001) break;
  }
  f = fopen("kmeans_output_2d.dat", "w");
  fprintf(f, " %d %d \n", dim, k);
  for (j = 0; j < k; j++) { for (d = 0; d < dim; d++) fprintf(f, "%f ", cent[j][d]); fprintf(f, "\n"); }
  fclose(f);
  return 0;
}
