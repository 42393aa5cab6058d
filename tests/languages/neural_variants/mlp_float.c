/* Correct: the course's style, activations, sums and deltas in float inside (single precision). */
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

static float sigmoid(float h, float beta)
{
    return 1.0f / (1.0f + expf(-beta * h));
}

void forward(const double *x, int n, int in_dim, const double *w1, int hid_dim, const double *w2, int out_dim,
             double beta, double *hidden, double *y)
{
    for (int i = 0; i < n; i++) {
        const double *in = x + i * (in_dim + 1);
        double *a = hidden + i * (hid_dim + 1);
        for (int h = 0; h < hid_dim; h++) {
            float sum = 0.0f;
            for (int j = 0; j <= in_dim; j++)
                sum += (float)in[j] * (float)w1[j * hid_dim + h];
            a[h] = sigmoid(sum, beta);
        }
        a[hid_dim] = -1.0;
        for (int k = 0; k < out_dim; k++) {
            float sum = 0.0f;
            for (int h = 0; h <= hid_dim; h++)
                sum += (float)a[h] * (float)w2[h * out_dim + k];
            y[i * out_dim + k] = sigmoid(sum, beta);
        }
    }
}

void backprop(const double *x, int in_dim, const double *t, int out_dim, const double *w1, int hid_dim,
              const double *w2, double eta, double beta, double *new_w1, double *new_w2)
{
    double *a = malloc((hid_dim + 1) * sizeof *a), *y = malloc(out_dim * sizeof *y);
    double *delta_o = malloc(out_dim * sizeof *delta_o), *delta_h = malloc((hid_dim > 0 ? hid_dim : 1) * sizeof *delta_h);
    forward(x, 1, in_dim, w1, hid_dim, w2, out_dim, beta, a, y);
    for (int k = 0; k < out_dim; k++)
        delta_o[k] = (float)beta * ((float)y[k] - (float)t[k]) * (float)y[k] * (1.0f - (float)y[k]);
    for (int h = 0; h < hid_dim; h++) {
        float sum = 0.0f;
        for (int k = 0; k < out_dim; k++)
            sum += (float)w2[h * out_dim + k] * (float)delta_o[k];
        delta_h[h] = (float)beta * (float)a[h] * (1.0f - (float)a[h]) * sum;
    }
    for (int j = 0; j <= in_dim; j++)
        for (int h = 0; h < hid_dim; h++)
            new_w1[j * hid_dim + h] = w1[j * hid_dim + h] - eta * x[j] * delta_h[h];
    for (int h = 0; h <= hid_dim; h++)
        for (int k = 0; k < out_dim; k++)
            new_w2[h * out_dim + k] = w2[h * out_dim + k] - eta * a[h] * delta_o[k];
    free(a);
    free(y);
    free(delta_o);
    free(delta_h);
}

static double total_error(const double *x, int n, int in_dim, const double *t, int out_dim, const double *w1,
                          int hid_dim, const double *w2, double beta)
{
    double *hidden = malloc((size_t)n * (hid_dim + 1) * sizeof *hidden + 1), *y = malloc((size_t)n * out_dim * sizeof *y + 1);
    double sum = 0.0;
    forward(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y);
    for (int p = 0; p < n * out_dim; p++)
        sum += (y[p] - t[p]) * (y[p] - t[p]);
    free(hidden);
    free(y);
    return 0.5 * sum;
}

void train(const double *x, int n, int in_dim, const double *t, int out_dim, const double *w1, int hid_dim,
           const double *w2, double eta, double beta, int epochs, uint64_t seed, double *new_w1, double *new_w2,
           double *errors)
{
    uint64_t state = seed;
    int size1 = (in_dim + 1) * hid_dim, size2 = (hid_dim + 1) * out_dim;
    int *order = malloc((n > 0 ? n : 1) * sizeof *order);
    double *next1 = malloc(size1 * sizeof *next1 + 1), *next2 = malloc(size2 * sizeof *next2);
    memcpy(new_w1, w1, size1 * sizeof *w1);
    memcpy(new_w2, w2, size2 * sizeof *w2);
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int e = 0; e < epochs; e++) {
        shuffle(order, n, &state);
        for (int s = 0; s < n; s++) {
            int i = order[s];
            backprop(x + i * (in_dim + 1), in_dim, t + i * out_dim, out_dim, new_w1, hid_dim, new_w2, eta, beta,
                     next1, next2);
            memcpy(new_w1, next1, size1 * sizeof *next1);
            memcpy(new_w2, next2, size2 * sizeof *next2);
        }
        errors[e] = total_error(x, n, in_dim, t, out_dim, new_w1, hid_dim, new_w2, beta);
    }
    free(order);
    free(next1);
    free(next2);
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

void predict(const double *x, int n, int in_dim, const double *w1, int hid_dim, const double *w2, int out_dim,
             double beta, int *classes)
{
    double *hidden = malloc((size_t)n * (hid_dim + 1) * sizeof *hidden + 1), *y = malloc((size_t)n * out_dim * sizeof *y + 1);
    forward(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y);
    for (int i = 0; i < n; i++)
        classes[i] = class_of(y + i * out_dim, out_dim);
    free(hidden);
    free(y);
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
        recall[i] = column > 0 ? (double)cm[i * nc + i] / column : 0.0;
        precision[i] = row > 0 ? (double)cm[i * nc + i] / row : 0.0;
    }
    return total > 0 ? (double)correct / total : 0.0;
}
