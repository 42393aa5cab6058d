/* Correct: the course's style, computing in float inside (sums while associating, as the course does). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

static float fdistance(const double *a, const double *b, int d)
{
    float sum = 0.0f;
    for (int j = 0; j < d; j++) {
        float diff = (float)a[j] - (float)b[j];
        sum += diff * diff;
    }
    return sum;
}

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    int i, j, c, *index;
    uint64_t state = seed;
    if (k < 1 || k > n)
        return -1;
    index = malloc(n * sizeof(int));
    for (i = 0; i < n; i++)
        index[i] = i;
    for (c = 0; c < k; c++) {
        int r = c + random_index(&state, n - c), t = index[c];
        index[c] = index[r];
        index[r] = t;
        for (j = 0; j < d; j++)
            centers[c * d + j] = data[index[c] * d + j];
    }
    free(index);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    int i, c;
    float dist, min_dist;
    for (i = 0; i < n; i++) {
        min_dist = 1e30f;
        for (c = 0; c < k; c++) {
            dist = fdistance(&data[i * d], &centers[c * d], d);
            if (dist <= min_dist) {
                min_dist = dist;
                labels[i] = c;
            }
        }
    }
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    int i, j, c;
    float *sum = calloc(k * d, sizeof(float));
    int *nb = calloc(k, sizeof(int));
    for (i = 0; i < n; i++) {
        nb[labels[i]]++;
        for (j = 0; j < d; j++)
            sum[labels[i] * d + j] += (float)data[i * d + j];
    }
    for (c = 0; c < k; c++)
        for (j = 0; j < d; j++)
            new_centers[c * d + j] = nb[c] > 0 ? sum[c * d + j] / nb[c] : centers[c * d + j];
    free(sum);
    free(nb);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    int l = 0, x, c;
    float cent_mov;
    double *new_centers = malloc(k * d * sizeof(double));
    for (x = 0; x < k * d; x++)
        centers[x] = init[x];
    for (x = 0; x < n; x++)
        labels[x] = 0;
    while (l < max_iter) {
        assign(data, n, d, centers, k, labels);
        update(data, n, d, labels, centers, k, new_centers);
        cent_mov = 0.0f;
        for (c = 0; c < k; c++)
            cent_mov += fdistance(&centers[c * d], &new_centers[c * d], d);
        for (x = 0; x < k * d; x++)
            centers[x] = new_centers[x];
        l++;
        printf("Step : %d, error : %f , cent. move : %f \n", l, 0.0, cent_mov);
        if (cent_mov <= eps)
            break;
    }
    free(new_centers);
    return l;
}
