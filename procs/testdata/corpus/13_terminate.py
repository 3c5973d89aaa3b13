# terminate() a child: exitcode -15.
# processes: 2
import multiprocessing, time
def forever():
    print("looping", flush=True)
    while True:
        time.sleep(0.05)
if __name__ == "__main__":
    p = multiprocessing.Process(target=forever)
    p.start()
    time.sleep(0.3)
    p.terminate()
    p.join()
    print("exitcode", p.exitcode)
