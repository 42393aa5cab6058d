# Uses multiprocessing, whose locks need shared memory the sandbox refuses: it stops with a PermissionError.
import multiprocessing

with multiprocessing.Pool(2) as pool:
    print(pool.map(abs, [-1, 2]))
