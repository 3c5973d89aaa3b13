# The lecture note's program, as printed there.
import multiprocessing
import time

def task():
    for i in range(10):
        print('任务执行中..')
        time.sleep(0.1)

if __name__ == '__main__':
    sub_process = multiprocessing.Process(target=task)
    sub_process.start()
    
    # 主进程延时0.5s
    time.sleep(0.5)
    print('over')

# 输出
# 任务执行中..
# 任务执行中..
# 任务执行中..
# 任务执行中..
# 任务执行中..
# over
# 任务执行中..
# 任务执行中..
# 任务执行中..
# 任务执行中..
# 任务执行中..
