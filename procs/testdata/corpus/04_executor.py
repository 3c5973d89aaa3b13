# concurrent.futures.ProcessPoolExecutor.
import concurrent.futures, os
def cube(x):
    return x ** 3
if __name__ == "__main__":
    with concurrent.futures.ProcessPoolExecutor(max_workers=3) as ex:
        for x, y in zip(range(10), ex.map(cube, range(10))):
            print(x, "->", y)
