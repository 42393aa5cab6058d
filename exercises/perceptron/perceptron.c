/* The perceptron: complete the functions marked TODO.
 *
 * A layer of binary threshold neurons, as in the course:
 * - the inputs get an extra constant input, the bias, equal to -1, appended as the last column;
 * - for output k, h = sum_j w[j][k] * x[j] over the inputs including the bias; the output is 1 if h > 0, else 0;
 * - learning, one sample at a time (on-line): w[j][k] -= eta * (y[k] - t[k]) * x[j];
 * - an epoch presents every sample once, in an order shuffled at every epoch.
 *
 * Compile and run the course workflow (the OR gate, then iris; reads iris.data from the current folder):
 *     gcc -O2 perceptron.c -o perceptron -lm
 *     ./perceptron
 * Check your functions:
 *     grader check perceptron --path perceptron.c
 *
 * Conventions (the grader calls these functions directly, so keep their signatures):
 * - in_dim is the number of inputs WITHOUT the bias; an array of inputs x holds n samples of in_dim + 1 values
 *   (the bias last), sample after sample: input j of sample i is x[i*(in_dim+1) + j];
 * - the weights w hold (in_dim + 1) rows of out_dim values: the weight from input j to output k is w[j*out_dim + k];
 * - outputs y and targets t are ints 0 or 1, out_dim per sample: y[i*out_dim + k];
 * - the arrays you fill (the last arguments) hold garbage when you receive them: set every entry;
 * - never modify an argument declared const.
 * You may compute in float inside your functions, as the course does; the arrays you receive and fill are double.
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

/* xb (n x (in_dim+1)) = the inputs x (n x in_dim) with a last column of -1, the bias input. */
void add_bias(const double *x, int n, int in_dim, double *xb)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* Outputs of the layer for every sample: y[i*out_dim + k] = 1 when h = sum_j x[i][j] * w[j][k] > 0, else 0
 * (h = 0 gives 0).  x already holds the bias column. */
void forward(const double *x, int n, int in_dim, const double *w, int out_dim, int *y)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* One step of the learning rule for ONE sample x (in_dim + 1 values, the bias last), its outputs y and its
 * targets t (out_dim values each): new_w[j][k] = w[j][k] - eta * (y[k] - t[k]) * x[j].  w is left unchanged. */
void update(const double *x, int in_dim, const int *y, const int *t, int out_dim, const double *w, double eta,
            double *new_w)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* On-line training for epochs epochs, starting from the weights w0; the final weights go into w.
 * Every epoch presents each sample once, in an order shuffled with the generator started at state = seed
 * (uint64_t state = seed; ... shuffle(order, n, &state) at the start of every epoch): compute the sample's
 * outputs with forward; when one of them differs from its target, count a mistake and apply update.
 * mistakes[e] = the number of samples whose outputs were wrong in epoch e. */
void train(const double *x, int n, int in_dim, const int *t, int out_dim, const double *w0, double eta, int epochs,
           uint64_t seed, double *w, int *mistakes)
{
    /* TODO */
    NOT_IMPLEMENTED;
}

/* Confusion matrix of outputs y against targets t (n x out_dim doubles each).  The class of a row is the index
 * of its largest value (the first on ties); with one output, class 1 when the value is above 0.5, else 0.
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

/* ---- the course program: the OR gate, then iris (given) ---- */

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

/* Train a layer on the inputs (without bias) and targets, print the mistakes and the confusion matrix. */
static int run(const char *name, const double *inputs, int n, int in_dim, const int *t, int out_dim, double eta,
               int epochs, uint64_t seed)
{
    int nc = out_dim > 2 ? out_dim : 2;
    uint64_t state = seed;
    double *x = malloc((size_t)n * (in_dim + 1) * sizeof *x);
    double *w0 = malloc((size_t)(in_dim + 1) * out_dim * sizeof *w0);
    double *w = malloc((size_t)(in_dim + 1) * out_dim * sizeof *w);
    int *mistakes = malloc((size_t)epochs * sizeof *mistakes), *y = malloc((size_t)n * out_dim * sizeof *y);
    double *yd = malloc((size_t)n * out_dim * sizeof *yd), *td = malloc((size_t)n * out_dim * sizeof *td);
    int *cm = malloc((size_t)nc * nc * sizeof *cm);
    for (int p = 0; p < (in_dim + 1) * out_dim; p++)   /* weights uniform in [-0.01, 0.01] */
        w0[p] = 0.02 * ((next_random(&state) >> 11) * 0x1.0p-53) - 0.01;
    add_bias(inputs, n, in_dim, x);
    train(x, n, in_dim, t, out_dim, w0, eta, epochs, next_random(&state), w, mistakes);
    forward(x, n, in_dim, w, out_dim, y);
    for (int p = 0; p < n * out_dim; p++) {
        yd[p] = y[p];
        td[p] = t[p];
    }
    confusion_matrix(yd, n, out_dim, td, cm);
    int missing = not_implemented;
    if (!missing) {
        printf("--- %s: %d samples, %d inputs, %d output(s), eta = %g\n", name, n, in_dim, out_dim, eta);
        printf("mistakes per epoch:");
        for (int e = 0; e < epochs && e < 20; e++)
            printf(" %d", mistakes[e]);
        printf("%s\n", epochs > 20 ? " ..." : "");
        print_confusion(cm, nc);
        missing = not_implemented;
    }
    free(x);
    free(w0);
    free(w);
    free(mistakes);
    free(y);
    free(yd);
    free(td);
    free(cm);
    if (missing)
        printf("%s: some functions are not implemented yet\n", name);
    return missing;
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

int main(void)
{
    /* OR gate: 2 inputs, 1 output. */
    double x_or[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    int t_or[4] = {0, 1, 1, 1};
    if (run("OR gate", &x_or[0][0], 4, 2, t_or, 1, 0.1, 20, 1))
        return 1;

    /* Iris: 4 features normalised (minus the mean, over the largest absolute value), 3 classes one-hot. */
    static double features[200][4];
    static int classes[200], targets[200][3];
    int n = read_iris("iris.data", features, classes, 200);
    if (n <= 0) {
        fprintf(stderr, "cannot read iris.data: copy it next to this program\n");
        return 1;
    }
    for (int j = 0; j < 4; j++) {
        double mean = 0.0, largest = 0.0;
        for (int i = 0; i < n; i++)
            mean += features[i][j] / n;
        for (int i = 0; i < n; i++) {
            features[i][j] -= mean;
            largest = fabs(features[i][j]) > largest ? fabs(features[i][j]) : largest;
        }
        for (int i = 0; i < n; i++)
            features[i][j] /= largest;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            targets[i][k] = classes[i] == k;
    return run("iris", &features[0][0], n, 4, &targets[0][0], 3, 0.1, 100, 2);
}
