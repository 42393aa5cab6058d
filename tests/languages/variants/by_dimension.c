/* Correct: the course's layout inside, one array per dimension (double **, dimension-major as in the data
 * file), built from the row-major arguments and freed; an OpenMP pragma. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static double **by_dimension(const double *rows, int count, int d)
{
    double **columns = malloc(d * sizeof(double *));
    for (int j = 0; j < d; j++) {
        columns[j] = malloc(count * sizeof(double));
        for (int i = 0; i < count; i++)
            columns[j][i] = rows[i * d + j];
    }
    return columns;
}

static void release(double **columns, int d)
{
    for (int j = 0; j < d; j++)
        free(columns[j]);
    free(columns);
}

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k < 1 || k > n)
        return -1;
    uint64_t state = seed;
    int *index = malloc(k * sizeof(int));
    for (int c = 0; c < k; c++) {
        index[c] = random_index(&state, n);
        for (int p = 0; p < c; p++)
            if (index[p] == index[c]) {
                c--;          /* draw this one again */
                break;
            }
    }
    for (int c = 0; c < k; c++)
        memcpy(&centers[c * d], &data[index[c] * d], d * sizeof(double));
    free(index);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    double **x = by_dimension(data, n, d), **m = by_dimension(centers, k, d);
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        double best = 0.0;
        for (int c = 0; c < k; c++) {
            double dist = 0.0;
            for (int j = 0; j < d; j++)
                dist += (x[j][i] - m[j][c]) * (x[j][i] - m[j][c]);
            if (c == 0 || dist <= best) {
                best = dist;
                labels[i] = c;
            }
        }
    }
    release(x, d);
    release(m, d);
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    double **x = by_dimension(data, n, d);
    int *nb = calloc(k, sizeof(int));
    for (int i = 0; i < n; i++)
        nb[labels[i]]++;
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++) {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                if (labels[i] == c)
                    s += x[j][i];
            new_centers[c * d + j] = nb[c] ? s / nb[c] : centers[c * d + j];
        }
    free(nb);
    release(x, d);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double *old = malloc(k * d * sizeof(double));
    memcpy(centers, init, k * d * sizeof(double));
    int l;
    for (l = 0; l < max_iter; l++) {
        memcpy(old, centers, k * d * sizeof(double));
        assign(data, n, d, old, k, labels);
        update(data, n, d, labels, old, k, centers);
        double cent_mov = 0.0;
        for (int c = 0; c < k; c++)
            cent_mov += distance(&old[c * d], &centers[c * d], d);
        if (cent_mov <= eps) {
            l++;
            break;
        }
    }
    free(old);
    return l;
}
