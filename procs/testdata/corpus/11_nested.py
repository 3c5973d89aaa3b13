# A child that starts a grandchild.
# processes: 3
import multiprocessing, os
def grandchild():
    print(f"grandchild pid={os.getpid()} parent {os.getppid() == int(os.environ['PARENT'])}")
def child():
    os.environ["PARENT"] = str(os.getpid())
    print(f"child pid={os.getpid()} starting one")
    g = multiprocessing.Process(target=grandchild)
    g.start()
    g.join()
if __name__ == "__main__":
    c = multiprocessing.Process(target=child)
    c.start()
    c.join()
    print("nested done", c.exitcode)
