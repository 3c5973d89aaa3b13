# multiprocessing.shared_memory between two processes.
# processes: 2
# python: 3.8
import multiprocessing
from multiprocessing import shared_memory
def fill(name):
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[:5] = b"hello"
    shm.close()
if __name__ == "__main__":
    shm = shared_memory.SharedMemory(create=True, size=16)
    p = multiprocessing.Process(target=fill, args=(shm.name,))
    p.start()
    p.join()
    print(bytes(shm.buf[:5]).decode())
    shm.close()
    shm.unlink()
