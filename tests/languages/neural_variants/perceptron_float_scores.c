/* Correct: the reference with the recall, precision and accuracy computed in float (single precision), as in the
   course's C code. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int not_implemented = 0;   /* the skeleton's marker: every function is written */

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

void shuffle(int *order, int n, uint64_t *state)
{
    for (int i = n - 1; i > 0; i--) {
        int j = random_index(state, i + 1), swap = order[i];
        order[i] = order[j];
        order[j] = swap;
    }
}

void add_bias(const double *x, int n, int in_dim, double *xb)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < in_dim; j++)
            xb[i * (in_dim + 1) + j] = x[i * in_dim + j];
        xb[i * (in_dim + 1) + in_dim] = -1.0;
    }
}

void forward(const double *x, int n, int in_dim, const double *w, int out_dim, int *y)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < out_dim; k++) {
            double h = 0.0;
            for (int j = 0; j <= in_dim; j++)
                h += x[i * (in_dim + 1) + j] * w[j * out_dim + k];
            y[i * out_dim + k] = h > 0.0;
        }
}

void update(const double *x, int in_dim, const int *y, const int *t, int out_dim, const double *w, double eta,
            double *new_w)
{
    for (int j = 0; j <= in_dim; j++)
        for (int k = 0; k < out_dim; k++)
            new_w[j * out_dim + k] = w[j * out_dim + k] - eta * (y[k] - t[k]) * x[j];
}

void train(const double *x, int n, int in_dim, const int *t, int out_dim, const double *w0, double eta, int epochs,
           uint64_t seed, double *w, int *mistakes)
{
    uint64_t state = seed;
    int size = (in_dim + 1) * out_dim;
    int *order = malloc((n > 0 ? n : 1) * sizeof *order);
    int *y = malloc(out_dim * sizeof *y);
    double *next = malloc(size * sizeof *next);
    memcpy(w, w0, size * sizeof *w);
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int e = 0; e < epochs; e++) {
        mistakes[e] = 0;
        shuffle(order, n, &state);
        for (int s = 0; s < n; s++) {
            const double *sample = x + order[s] * (in_dim + 1);
            const int *target = t + order[s] * out_dim;
            forward(sample, 1, in_dim, w, out_dim, y);
            if (memcmp(y, target, out_dim * sizeof *y) != 0) {
                mistakes[e]++;
                update(sample, in_dim, y, target, out_dim, w, eta, next);
                memcpy(w, next, size * sizeof *w);
            }
        }
    }
    free(order);
    free(y);
    free(next);
}

static int class_of(const double *row, int out_dim)
{
    if (out_dim == 1)
        return row[0] > 0.5;
    int best = 0;
    for (int k = 1; k < out_dim; k++)
        if (row[k] > row[best])
            best = k;
    return best;
}

void confusion_matrix(const double *y, int n, int out_dim, const double *t, int *cm)
{
    int nc = out_dim > 2 ? out_dim : 2;
    for (int p = 0; p < nc * nc; p++)
        cm[p] = 0;
    for (int i = 0; i < n; i++)
        cm[class_of(y + i * out_dim, out_dim) * nc + class_of(t + i * out_dim, out_dim)]++;
}

double class_scores(const int *cm, int nc, double *recall, double *precision)
{
    long total = 0, correct = 0;
    for (int i = 0; i < nc; i++) {
        long column = 0, row = 0;
        for (int j = 0; j < nc; j++) {
            column += cm[j * nc + i];
            row += cm[i * nc + j];
            total += cm[i * nc + j];
        }
        correct += cm[i * nc + i];
        recall[i] = column > 0 ? (float)cm[i * nc + i] / (float)column : 0.0f;
        precision[i] = row > 0 ? (float)cm[i * nc + i] / (float)row : 0.0f;
    }
    return total > 0 ? (float)correct / (float)total : 0.0f;
}
