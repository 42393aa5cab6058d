/* A while loop with the test at the end, dimension-major storage, float like the course. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) {
  int ndim, n, k = 4, i, j, d, step = 0;
  FILE *in = fopen("kmeans_input_file_2d.dat", "r");
  if (!in) return 1;
  fscanf(in, "%d %d", &ndim, &n);
  float *x = malloc(sizeof(float) * ndim * n);          /* x[d*n + i] */
  for (i = 0; i < ndim * n; i++) fscanf(in, "%f", &x[i]);
  fclose(in);
  float *c = malloc(sizeof(float) * ndim * k), *s = malloc(sizeof(float) * ndim * k);
  int *m = malloc(sizeof(int) * k);
  srand((unsigned) time(NULL));
  for (j = 0; j < k; j++) { int p = (int) ((double) rand() / ((double) RAND_MAX + 1.0) * n); for (d = 0; d < ndim; d++) c[d*k + j] = x[d*n + p]; }
  float move;
  do {
    step++;
    float err = 0.0f;
    for (j = 0; j < k; j++) { m[j] = 0; for (d = 0; d < ndim; d++) s[d*k + j] = 0.0f; }
    for (i = 0; i < n; i++) {
      int b = -1; float bd = 0.0f;
      for (j = 0; j < k; j++) {
        float dd = 0.0f;
        for (d = 0; d < ndim; d++) { float t = x[d*n + i] - c[d*k + j]; dd += t * t; }
        if (b < 0 || dd < bd) { b = j; bd = dd; }
      }
      m[b]++; err += bd;
      for (d = 0; d < ndim; d++) s[d*k + b] += x[d*n + i];
    }
    move = 0.0f;
    for (j = 0; j < k; j++) {
      if (m[j] == 0) continue;
      for (d = 0; d < ndim; d++) { float nc = s[d*k + j] / m[j]; move += (nc - c[d*k + j]) * (nc - c[d*k + j]); c[d*k + j] = nc; }
    }
    printf("Step : %d, error : %f , cent. move : %f \n", step, err / n, move);
  } while (move > 0.001f && step < 100);
  FILE *out = fopen("kmeans_output_2d.dat", "w");
  fprintf(out, "%d %d\n", ndim, k);
  for (j = 0; j < k; j++) { for (d = 0; d < ndim; d++) fprintf(out, "%f ", c[d*k + j]); fprintf(out, "\n"); }
  fclose(out);
  return 0;
}
