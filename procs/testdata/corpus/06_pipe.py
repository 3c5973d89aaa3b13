# Two processes talking over a Pipe.
# processes: 2
import multiprocessing, os
def echo(conn):
    while True:
        msg = conn.recv()
        if msg == "bye":
            break
        conn.send(msg.upper())
    print(f"echo pid={os.getpid()} closing")
if __name__ == "__main__":
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo, args=(b,))
    p.start()
    for word in ["one", "two", "三"]:
        a.send(word)
        print("got", a.recv())
    a.send("bye")
    p.join()
