# stderr from main and children, with warnings and logging.
# processes: 2
import multiprocessing, sys, logging, warnings
def warn():
    print("child to stderr", file=sys.stderr)
    logging.basicConfig(format="%(levelname)s %(message)s")
    logging.warning("a logged warning")
if __name__ == "__main__":
    p = multiprocessing.Process(target=warn)
    p.start()
    p.join()
    print("main to stderr", file=sys.stderr)
    print("main to stdout")
