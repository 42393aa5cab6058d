# Tries to read files outside its folder: the path of a secret is written into the program by the test.
import os
SECRET = "@SECRET@"
for path in (SECRET, os.path.expanduser("~/../../.."), "/etc/hostname", "/root"):
    try:
        if os.path.isdir(path):
            print("LISTED", path, os.listdir(path)[:3])
        else:
            print("LEAKED", open(path).read()[:40])
    except OSError as error:
        print("denied", type(error).__name__)
raise SystemExit(1)
