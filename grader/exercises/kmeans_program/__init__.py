"""The k-means exercise as the course hands it out: a whole program, in Python, C or Fortran, graded by running it."""
