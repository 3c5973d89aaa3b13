# The lecture note's program, as printed there.
import multiprocessing

def show_info_args(name, age):
    print(f'名字为{name}, 年龄为{age}')

def show_info_kwargs(name, age):
    print(f'名字为{name}, 年龄为{age}')

if __name__ == '__main__':
    sub_process_args = multiprocessing.Process(target=show_info_args, args=('Tom', 30))
    sub_process_kwargs = multiprocessing.Process(target=show_info_kwargs, kwargs={'age':15, 'name':'Jerry'})
    sub_process_args.start()
    sub_process_kwargs.start()
