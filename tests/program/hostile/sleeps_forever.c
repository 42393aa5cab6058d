/* Never ends, and computes nothing: it sleeps, as a program waiting for something that never comes. */
#include <unistd.h>
int main(void) { for (;;) pause(); return 0; }
