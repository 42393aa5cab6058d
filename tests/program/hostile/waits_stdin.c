/* Asks for k on the keyboard, then waits for a line forever. */
#include <stdio.h>
int main(void) { int k = 0; printf("k ? "); fflush(stdout); while (scanf("%d", &k) != 1) { } printf("k = %d\n", k); return 0; }
