/* Multi-layer perceptron trained by back-propagation: complete the functions marked TODO.
 *
 * The network, as in the course:
 * - inputs get an extra constant bias input -1, appended as the last column;
 * - one hidden layer of hid_dim logistic neurons a = sigma(h) = 1 / (1 + exp(-beta h)), h = x . w1,
 *   followed by a bias node fixed at -1 (so the hidden layer has hid_dim + 1 entries);
 * - logistic outputs y = sigma(beta * hidden . w2);
 * - error of a sample: E = 1/2 sum (y - t)^2.
 * Back-propagation, one sample at a time (on-line):
 *     delta_o[k] = beta (y[k] - t[k]) y[k] (1 - y[k])
 *     delta_h[h] = beta a[h] (1 - a[h]) sum_k w2[h][k] delta_o[k]      for the real hidden neurons only
 *     w1[j][h] -= eta x[j] delta_h[h];  w2[h][k] -= eta hidden[h] delta_o[k]   (both deltas with the old w2)
 *
 * Compile and run the course workflow (iris: 20 hidden neurons, eta = 0.05, 1000 epochs; reads iris.data
 * from the current folder):
 *     gcc -O2 mlp.c -o mlp -lm
 *     ./mlp
 * Check your functions:
 *     grader check mlp --path mlp.c
 *
 * Conventions (the grader calls these functions directly, so keep their signatures):
 * - in_dim and hid_dim count the inputs and hidden neurons WITHOUT the bias;
 * - arrays are stored row after row: input j of sample i is x[i*(in_dim+1) + j] (the bias last),
 *   w1[j*hid_dim + h] goes from input j to hidden neuron h, w2[h*out_dim + k] from hidden h to output k,
 *   hidden[i*(hid_dim+1) + h], y[i*out_dim + k], targets t[i*out_dim + k];
 * - classes are numbered from 0;
 * - the arrays you fill (the last arguments) hold garbage when you receive them: set every entry;
 * - never modify an argument declared const.
 * Compute in double, like the arrays you receive and fill (float is accepted too: the grader allows the
 * rounding of single precision).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The grader's marker for "not written yet": delete the NOT_IMPLEMENTED line of a function when you write it. */
int not_implemented = 0;
#define NOT_IMPLEMENTED (not_implemented = 1)

/* ---- given: a small random generator (splitmix64), seeded by the caller ---- */

uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A random index in 0..n-1. */
int random_index(uint64_t *state, int n)
{
    return (int)((next_random(state) >> 1) % (uint64_t)n);
}

/* Shuffle order[0..n-1] in place (Fisher-Yates) with the generator. */
void shuffle(int *order, int n, uint64_t *state)
{
    for (int i = n - 1; i > 0; i--) {
        int j = random_index(state, i + 1), swap = order[i];
        order[i] = order[j];
        order[j] = swap;
    }
}

/* ---- to complete ---- */

/* Forward pass of the n samples of x: hidden (n x (hid_dim+1), the last entry of each row the bias node -1)
 * and outputs y (n x out_dim), both logistic with slope beta. */
void forward(const double *x, int n, int in_dim, const double *w1, int hid_dim, const double *w2, int out_dim,
             double beta, double *hidden, double *y)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* One on-line step of back-propagation on ONE sample x (in_dim + 1 values) with targets t (out_dim values):
 * the new weights go into new_w1 and new_w2; w1 and w2 are left unchanged.  Compute both deltas with the old
 * w2 before changing any weight; the bias node gets no delta. */
void backprop(const double *x, int in_dim, const double *t, int out_dim, const double *w1, int hid_dim,
              const double *w2, double eta, double beta, double *new_w1, double *new_w2)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* On-line training for epochs epochs from the weights w1, w2; the final weights go into new_w1, new_w2.
 * Every epoch presents each sample once, in an order shuffled with the generator started at state = seed
 * (uint64_t state = seed; ... shuffle(order, n, &state) at the start of every epoch), one backprop step per
 * sample.  errors[e] = the training error 1/2 sum (y - t)^2 over all samples at the end of epoch e. */
void train(const double *x, int n, int in_dim, const double *t, int out_dim, const double *w1, int hid_dim,
           const double *w2, double eta, double beta, int epochs, uint64_t seed, double *new_w1, double *new_w2,
           double *errors)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* The class of each sample: classes[i] = the index of its largest output (the first on ties); with one output,
 * 1 when the output is above 0.5, else 0. */
void predict(const double *x, int n, int in_dim, const double *w1, int hid_dim, const double *w2, int out_dim,
             double beta, int *classes)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* Confusion matrix of outputs y against targets t (n x out_dim each).  The class of a row is the index of its
 * largest value (the first on ties); with one output, class 1 when the value is above 0.5, else 0.
 * cm has nc x nc entries, nc = max(out_dim, 2): cm[p*nc + q] = number of samples predicted p whose target is q. */
void confusion_matrix(const double *y, int n, int out_dim, const double *t, int *cm)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* Scores of an nc x nc confusion matrix: recall[i] = cm[i][i] / (sum of column i), precision[i] = cm[i][i] /
 * (sum of row i) (0 when that sum is 0); returns the accuracy, trace / total. */
double class_scores(const int *cm, int nc, double *recall, double *precision)
{
    /* TODO */
    NOT_IMPLEMENTED;
    return 0.0;
}

/* ---- the course program: iris, a confusion matrix on the test set every 50 epochs (given) ---- */

/* Print a confusion matrix with the recall and precision of each class and the accuracy. */
static void print_confusion(const int *cm, int nc)
{
    double recall[16], precision[16];
    double accuracy = class_scores(cm, nc, recall, precision);
    printf("confusion matrix (rows: predicted class, columns: target class)\n");
    for (int p = 0; p < nc; p++) {
        printf("   ");
        for (int q = 0; q < nc; q++)
            printf(" %5d", cm[p * nc + q]);
        printf("\n");
    }
    printf("recall   ");
    for (int p = 0; p < nc; p++)
        printf(" %6.2f", recall[p]);
    printf("\nprecision");
    for (int p = 0; p < nc; p++)
        printf(" %6.2f", precision[p]);
    printf("\naccuracy  %.3f\n", accuracy);
}

/* Read iris.data (lines "f1 f2 f3 f4 class", '#' comments): returns the number of samples read. */
static int read_iris(const char *path, double features[][4], int *classes, int capacity)
{
    FILE *file = fopen(path, "r");
    char line[256];
    int n = 0;
    if (file == NULL)
        return -1;
    while (n < capacity && fgets(line, sizeof line, file) != NULL) {
        double f[4], c;
        if (line[0] == '#' || sscanf(line, "%lf %lf %lf %lf %lf", &f[0], &f[1], &f[2], &f[3], &c) != 5)
            continue;
        memcpy(features[n], f, sizeof f);
        classes[n++] = (int)c;
    }
    fclose(file);
    return n;
}

enum { IN = 4, HID = 20, OUT = 3, EPOCHS = 1000, EVERY = 50, TRAIN = 100 };

int main(void)
{
    static double features[200][IN], x[200][IN + 1], t[200][OUT], hidden[200][HID + 1], y[200][OUT];
    static double w1[IN + 1][HID], w2[HID + 1][OUT], next1[IN + 1][HID], next2[HID + 1][OUT], errors[EVERY];
    static int classes[200], cm[OUT * OUT];
    const double eta = 0.05, beta = 1.0;
    uint64_t state = 20261125u;
    int n = read_iris("iris.data", features, classes, 200);
    if (n <= TRAIN) {
        fprintf(stderr, "cannot read iris.data: copy it next to this program\n");
        return 1;
    }
    /* Normalise: subtract each feature's mean, divide by its largest absolute value; add the bias input. */
    for (int j = 0; j < IN; j++) {
        double mean = 0.0, largest = 0.0;
        for (int i = 0; i < n; i++)
            mean += features[i][j] / n;
        for (int i = 0; i < n; i++)
            largest = fabs(features[i][j] - mean) > largest ? fabs(features[i][j] - mean) : largest;
        for (int i = 0; i < n; i++)
            x[i][j] = (features[i][j] - mean) / largest;
    }
    for (int i = 0; i < n; i++) {
        x[i][IN] = -1.0;
        for (int k = 0; k < OUT; k++)
            t[i][k] = classes[i] == k;
    }
    for (int j = 0; j <= IN; j++)   /* weights uniform in [-0.01, 0.01] */
        for (int h = 0; h < HID; h++)
            w1[j][h] = 0.02 * ((next_random(&state) >> 11) * 0x1.0p-53) - 0.01;
    for (int h = 0; h <= HID; h++)
        for (int k = 0; k < OUT; k++)
            w2[h][k] = 0.02 * ((next_random(&state) >> 11) * 0x1.0p-53) - 0.01;
    /* The first 100 samples train the network, the last ones test it. */
    for (int start = 0; start < EPOCHS; start += EVERY) {
        train(&x[0][0], TRAIN, IN, &t[0][0], OUT, &w1[0][0], HID, &w2[0][0], eta, beta, EVERY, next_random(&state),
              &next1[0][0], &next2[0][0], errors);
        memcpy(w1, next1, sizeof w1);
        memcpy(w2, next2, sizeof w2);
        forward(&x[TRAIN][0], n - TRAIN, IN, &w1[0][0], HID, &w2[0][0], OUT, beta, &hidden[0][0], &y[0][0]);
        confusion_matrix(&y[0][0], n - TRAIN, OUT, &t[TRAIN][0], cm);
        if (not_implemented) {
            printf("some functions are not implemented yet\n");
            return 1;
        }
        printf("epoch %d: training error %.4f\n", start + EVERY, errors[EVERY - 1]);
        print_confusion(cm, OUT);
    }
    return 0;
}
