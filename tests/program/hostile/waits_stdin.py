# Asks for k on the keyboard.
k = int(input("k ? "))
print(k)
