# Writes next to its own folder and in /tmp, then does its job badly (no output file).
for path in ("../escaped.txt", "/tmp/@NAME@"):
    try:
        open(path, "w").write("escaped")
        print("WROTE", path)
    except OSError as error:
        print("denied", path, type(error).__name__)
