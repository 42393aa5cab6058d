/* Prints without end. */
#include <stdio.h>
int main(void) { for (long i = 0;; i++) printf("Step : %ld, error : 1.0 , cent. move : 1.0 and some more text\n", i); return 0; }
