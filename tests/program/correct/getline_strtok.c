/* Reads each line with getline and splits it with strtok/strtod; points as an array of structs
 * holding pointers; double precision; prints with %g and %e; writes the centers with %.10e. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    double *x;
    int cluster;
} point;

static double sq(const double *a, const double *b, int nd)
{
    double s = 0.0;
    for (int d = 0; d < nd; d++) s += (a[d] - b[d]) * (a[d] - b[d]);
    return s;
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "kmeans_input_file_2d.dat";
    FILE *in = fopen(name, "r");
    if (in == NULL) { perror(name); return 1; }
    char *line = NULL;
    size_t cap = 0;
    if (getline(&line, &cap, in) < 0) return 1;
    int nd = atoi(strtok(line, " \t\n"));
    int n = atoi(strtok(NULL, " \t\n"));
    point *pts = calloc(n, sizeof(point));
    for (int i = 0; i < n; i++) pts[i].x = calloc(nd, sizeof(double));
    for (int d = 0; d < nd; d++) {
        if (getline(&line, &cap, in) < 0) { fprintf(stderr, "short file\n"); return 1; }
        char *tok = strtok(line, " \t\r\n");
        for (int i = 0; i < n && tok != NULL; i++, tok = strtok(NULL, " \t\r\n"))
            pts[i].x[d] = strtod(tok, NULL);
    }
    free(line);
    fclose(in);

    const int k = 4;
    double c[4][64], s[4][64];
    int cnt[4];
    srand(time(NULL) ^ 12345);
    for (int j = 0; j < k; j++) memcpy(c[j], pts[rand() % n].x, nd * sizeof(double));

    int it = 0;
    double mv;
    do {
        double err = 0.0;
        memset(s, 0, sizeof s);
        memset(cnt, 0, sizeof cnt);
        for (int i = 0; i < n; i++) {
            double best = sq(pts[i].x, c[0], nd);
            pts[i].cluster = 0;
            for (int j = 1; j < k; j++) {
                double dj = sq(pts[i].x, c[j], nd);
                if (dj <= best) { best = dj; pts[i].cluster = j; }
            }
            err += best;
        }
        for (int i = 0; i < n; i++) {
            cnt[pts[i].cluster]++;
            for (int d = 0; d < nd; d++) s[pts[i].cluster][d] += pts[i].x[d];
        }
        mv = 0.0;
        for (int j = 0; j < k; j++) {
            if (!cnt[j]) continue;
            for (int d = 0; d < nd; d++) s[j][d] /= cnt[j];
            mv += sq(s[j], c[j], nd);
            memcpy(c[j], s[j], nd * sizeof(double));
        }
        it++;
        printf("Step %d: error %g, cent. move %e\n", it, err / n, mv);
    } while (mv > 1e-3 && it < 100);

    FILE *out = fopen("kmeans_output_2d.dat", "w");
    fprintf(out, "%d %d\n", nd, k);
    for (int j = 0; j < k; j++)
        for (int d = 0; d < nd; d++)
            fprintf(out, "%.10e%c", c[j][d], d == nd - 1 ? '\n' : ' ');
    fclose(out);
    for (int i = 0; i < n; i++) free(pts[i].x);
    free(pts);
    return 0;
}
