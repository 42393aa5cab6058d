/* Correct: float running means (m += (x - m) / count), float squared distances from the expansion
 * |x|^2 - 2 x.c + |c|^2 with the norms computed once, one malloc'd workspace per call, freed. */
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

int init_centers(const double *data, int n, int d, int k, uint64_t seed, double *centers)
{
    if (k < 1 || k > n)
        return -1;
    int *picked = malloc(sizeof(int) * (size_t)k);
    uint64_t state = seed;
    for (int c = 0; c < k; c++) {
        int fresh = 0;
        while (!fresh) {
            picked[c] = random_index(&state, n);
            fresh = 1;
            for (int p = 0; p < c; p++)
                if (picked[p] == picked[c])
                    fresh = 0;
        }
        for (int j = 0; j < d; j++)
            centers[c * d + j] = data[picked[c] * d + j];
    }
    free(picked);
    return 0;
}

void assign(const double *data, int n, int d, const double *centers, int k, int *labels)
{
    float *work = malloc(sizeof(float) * (size_t)(n + k));
    float *point_norm = work, *center_norm = work + n;
    for (int i = 0; i < n; i++) {
        point_norm[i] = 0.0f;
        for (int j = 0; j < d; j++)
            point_norm[i] += (float)data[i * d + j] * (float)data[i * d + j];
    }
    for (int c = 0; c < k; c++) {
        center_norm[c] = 0.0f;
        for (int j = 0; j < d; j++)
            center_norm[c] += (float)centers[c * d + j] * (float)centers[c * d + j];
    }
    for (int i = 0; i < n; i++) {
        float best = 0.0f;
        for (int c = 0; c < k; c++) {
            float dot = 0.0f;
            for (int j = 0; j < d; j++)
                dot += (float)data[i * d + j] * (float)centers[c * d + j];
            float dist = point_norm[i] - 2.0f * dot + center_norm[c];
            if (c == 0 || dist <= best) {
                best = dist;
                labels[i] = c;
            }
        }
    }
    free(work);
}

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    float *mean = calloc((size_t)k * d, sizeof(float));
    int *count = calloc((size_t)k, sizeof(int));
    for (int i = 0; i < n; i++) {
        int c = labels[i];
        count[c]++;
        for (int j = 0; j < d; j++)
            mean[c * d + j] += ((float)data[i * d + j] - mean[c * d + j]) / (float)count[c];
    }
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            new_centers[c * d + j] = count[c] > 0 ? mean[c * d + j] : centers[c * d + j];
    free(mean);
    free(count);
}

int kmeans(const double *data, int n, int d, const double *init, int k, double eps, int max_iter,
           double *centers, int *labels)
{
    double *previous = malloc(sizeof(double) * (size_t)k * d);
    memcpy(centers, init, sizeof(double) * (size_t)k * d);
    int n_iter;
    for (n_iter = 1; n_iter <= max_iter; n_iter++) {
        memcpy(previous, centers, sizeof(double) * (size_t)k * d);
        assign(data, n, d, previous, k, labels);
        update(data, n, d, labels, previous, k, centers);
        float move = 0.0f;
        for (int x = 0; x < k * d; x++)
            move += ((float)centers[x] - (float)previous[x]) * ((float)centers[x] - (float)previous[x]);
        if (move <= eps)
            break;
    }
    free(previous);
    return n_iter > max_iter ? max_iter : n_iter;
}
