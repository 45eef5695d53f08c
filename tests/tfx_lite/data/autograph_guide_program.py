"""AutoGraph as TF's guides show it ("Better performance with tf.function", "Introduction to
graphs"): Python `if`/`while`/`for`/`break`/`continue`/`return`/`and`/conditional expressions on
tensors, each function run eagerly (a plain call) and traced (`tf.function`), printing both.
Python `print` runs once per trace, `tf.print` at every call."""
import sys

from program import rounded, run_unwrapped as run, tf

sys.stdout.reconfigure(line_buffering=True)  # Python prints and tf.print in program order
out = sys.stdout


def both(name, f, *args):
    """f called eagerly on eager tensors, then traced by tf.function."""
    run(f"{name} eager", lambda: rounded(f(*args)))
    run(f"{name} traced", lambda: rounded(tf.function(f)(*args)))


# --- print runs once per trace, tf.print at every call ---
print("--- print vs tf.print ---")


def show(x):
    if isinstance(x, int):
        print("Traced with", x)
    else:
        print("Traced with a", x.dtype.name, "tensor of shape", x.shape)
    tf.print("Executed with", x, output_stream=out)


tf_show = tf.function(show)
tf_show(1)
tf_show(1)
tf_show(2)
tf_show(tf.constant(3))
tf_show(tf.constant(4))

# --- fizzbuzz: if/elif/else in a loop over tf.range ---
print("--- fizzbuzz ---")


def fizzbuzz(n):
    for i in tf.range(1, n + 1):
        print("Tracing for loop")
        if i % 15 == 0:
            print("Tracing fizzbuzz branch")
            tf.print("fizzbuzz", output_stream=out)
        elif i % 3 == 0:
            print("Tracing fizz branch")
            tf.print("fizz", output_stream=out)
        elif i % 5 == 0:
            print("Tracing buzz branch")
            tf.print("buzz", output_stream=out)
        else:
            print("Tracing default branch")
            tf.print(i, output_stream=out)


print("eager:")
fizzbuzz(tf.constant(5))
tf_fizzbuzz = tf.function(fizzbuzz)
print("traced n=5:")
tf_fizzbuzz(tf.constant(5))
print("traced n=15:")
tf_fizzbuzz(tf.constant(15))
print("traced n=3 (Python int, a new trace):")
tf_fizzbuzz(3)
print("traced n=3 again:")
tf_fizzbuzz(3)
print("run_functions_eagerly n=4:")
tf.config.run_functions_eagerly(True)
tf_fizzbuzz(tf.constant(4))
tf.config.run_functions_eagerly(False)
print("traced n=4 after run_functions_eagerly(False):")
tf_fizzbuzz(tf.constant(4))

# --- dynamic RNN: a loop over a tensor length writing a TensorArray ---
print("--- dynamic rnn ---")


def rnn_step(inp, state):
    return tf.tanh(inp * 0.5 + state * 0.25)


def dynamic_rnn(input_data, initial_state):
    # [batch, time, features] -> [time, batch, features]
    input_data = tf.transpose(input_data, [1, 0, 2])
    max_seq_len = tf.shape(input_data)[0]
    states = tf.TensorArray(tf.float32, size=max_seq_len)
    state = initial_state
    for i in tf.range(max_seq_len):
        state = rnn_step(input_data[i], state)
        states = states.write(i, state)
    return tf.transpose(states.stack(), [1, 0, 2])


def dynamic_rnn_static_len(input_data, initial_state):
    input_data = tf.transpose(input_data, [1, 0, 2])
    max_seq_len = input_data.shape[0]
    states = tf.TensorArray(tf.float32, size=max_seq_len)
    state = initial_state
    for i in tf.range(max_seq_len):
        state = rnn_step(input_data[i], state)
        states = states.write(i, state)
    return tf.transpose(states.stack(), [1, 0, 2])


rnn_input = tf.reshape(tf.range(24, dtype=tf.float32), [2, 3, 4]) / 10.0
both("dynamic_rnn", dynamic_rnn, rnn_input, tf.zeros([2, 4]))
both("dynamic_rnn static length", dynamic_rnn_static_len, rnn_input, tf.zeros([2, 4]))

# --- TensorArray with dynamic_size ---
print("--- dynamic_size TensorArray ---")


def squares(n):
    ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    for i in tf.range(n):
        ta = ta.write(i, i * i)
    return ta.stack()


both("squares n=5 (Python int)", squares, 5)
# With n a tensor argument, TF grows the array at run time; an XLA buffer cannot, so tfx_lite
# asks for a trip count known when tracing (tests/tfx_lite/test_autograph.py checks the error).

# --- continue, break, while on a tensor ---
print("--- continue / break / while ---")


def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


both("sum_even", sum_even, tf.constant([10, 12, 15, 20]))


def first_over(x, threshold):
    idx = tf.constant(-1)
    for i in tf.range(tf.size(x)):
        if x[i] > threshold:
            idx = i
            break
    return idx


both("first_over found", first_over, tf.constant([1.0, 4.0, 9.0, 16.0]), tf.constant(5.0))
both("first_over none", first_over, tf.constant([1.0, 4.0, 9.0, 16.0]), tf.constant(50.0))


def collatz(x):
    steps = tf.constant(0)
    while x != 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


both("collatz 27", collatz, tf.constant(27))
both("collatz 1", collatz, tf.constant(1))

# --- return inside a tensor if ---
print("--- early return ---")


def square_if_positive(x):
    if x > 0:
        return x * x
    return -x


def square_if_positive_else(x):
    if x > 0:
        return x * x
    else:
        x = x - 1.0
        return x * 10.0


for v in [3.0, -2.0]:
    both(f"square_if_positive({v})", square_if_positive, tf.constant(v))
    both(f"square_if_positive_else({v})", square_if_positive_else, tf.constant(v))

# --- nested loops, while with `and` ---
print("--- nested loops / and ---")


def triangle(n):
    total = tf.constant(0)
    for i in tf.range(n):
        for j in tf.range(i):
            total += i * j + 1
    return total


both("triangle 5", triangle, tf.constant(5))


def count_until(x, limit):
    i = tf.constant(0)
    s = tf.constant(0.0)
    while i < tf.size(x) and s < limit:
        s += x[i]
        i += 1
    return i, s


both("count_until limit 6", count_until, tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant(6.0))
both("count_until limit 100", count_until, tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant(100.0))


def not_or(x, y):
    if not (x > 0) or y > 0:
        return x + y
    return x - y


both("not_or(1, -2)", not_or, tf.constant(1.0), tf.constant(-2.0))
both("not_or(-1, -2)", not_or, tf.constant(-1.0), tf.constant(-2.0))

# --- iterating a tensor and datasets ---
print("--- for over a tensor / dataset ---")


def best_row(m):
    best = tf.constant(-1.0e9)
    count = tf.constant(0)
    for row in m:
        total = tf.reduce_sum(row)
        if total > best:
            best = total
        count += 1
    return best, count


both("best_row", best_row, tf.constant([[1.0, 2.0], [5.0, -1.0], [3.0, 3.0]]))


def dataset_squares():
    total = tf.constant(0, tf.int64)
    for x in tf.data.Dataset.range(5):
        total += x * x
    return total


both("dataset_squares", dataset_squares)


def dataset_sum(ds):
    total = tf.constant(0, tf.int64)
    for x in ds:
        total += x
    return total


both("dataset_sum argument", dataset_sum, tf.data.Dataset.range(1, 6))


def dataset_pairs():
    ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [10, 20, 30]))
    s = tf.constant(0.0)
    c = tf.constant(0)
    for a, b in ds:
        s += a * tf.cast(b, tf.float32)
        c += b
    return s, c


both("dataset_pairs", dataset_pairs)

# --- a Python loop (unrolled), conditional expressions, helpers ---
print("--- python range / if-expression / helper ---")


def unrolled(x):
    ys = []
    for i in range(3):
        x = x * 2.0 + i
        if tf.reduce_sum(x) > 10.0:
            x = x - 1.0
        ys.append(x)
    return tf.stack(ys)


both("unrolled", unrolled, tf.constant([1.0, 2.0]))


def pick(x, a, b):
    return a if x > 0 else b


def pick_python(flag, x):
    return x * 2.0 if flag else x * 3.0


both("pick positive", pick, tf.constant(1.0), tf.constant(10.0), tf.constant(20.0))
both("pick negative", pick, tf.constant(-1.0), tf.constant(10.0), tf.constant(20.0))
both("pick_python", pick_python, False, tf.constant(1.5))


def relu_or_double(v):
    if v > 0:
        v = v * 2.0
    else:
        v = 0.0 * v
    return v


def apply_helper(xs):
    total = tf.constant(0.0)
    for x in xs:
        total += relu_or_double(x)
    return total


both("apply_helper", apply_helper, tf.constant([1.0, -2.0, 3.5]))

# --- a variable updated in a converted loop ---
print("--- variable ---")
counter = tf.Variable(0)


def count_evens(xs):
    for x in xs:
        if x % 2 == 0:
            counter.assign_add(1)
    return counter.read_value()


both("count_evens", count_evens, tf.constant([1, 2, 4, 7, 8]))
print("counter", counter.numpy())
counter.assign(0)
tf_count_evens = tf.function(count_evens)
run("count_evens fresh traced", lambda: rounded(tf_count_evens(tf.constant([2, 4]))))
run("count_evens again", lambda: rounded(tf_count_evens(tf.constant([1, 6, 3]))))

# --- a training loop over a dataset ---
print("--- training loop ---")
w = tf.Variable(0.0)
b = tf.Variable(0.0)
xs = tf.linspace(-1.0, 1.0, 8)
train_ds = tf.data.Dataset.from_tensor_slices((xs, 3.0 * xs + 0.5)).batch(4)


def train_epoch(ds):
    loss = tf.constant(0.0)
    for x, y in ds:
        with tf.GradientTape() as tape:
            pred = w * x + b
            loss = tf.reduce_mean((pred - y) ** 2)
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.2 * dw)
        b.assign_sub(0.2 * db)
    return loss


def train(step):
    """20 epochs from w = b = 0: the losses after epochs 1, 10 and 20, and w and b."""
    w.assign(0.0)
    b.assign(0.0)
    losses = [round(float(step(train_ds)), 3) for _ in range(20)]
    return losses[0], losses[9], losses[-1], round(float(w.numpy()), 3), round(float(b.numpy()), 3)


run("train_epoch eager", lambda: train(train_epoch))
run("train_epoch traced", lambda: train(tf.function(train_epoch)))

# --- gradients through a converted if and while ---
print("--- gradients ---")


def cond_fn(x):
    if x > 1.0:
        y = x * x
    else:
        y = x * 3.0
    return y


def while_fn(x):
    y = x
    while y < 50.0:
        y = y * x
    return y


def for_fn(x):
    y = x
    for _ in tf.range(3):
        y = tf.sin(y) + x
    return y


def grad_inside(f):
    def g(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = f(x)
        return t.gradient(y, x)
    return g


def grad_outside(f, x):
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    return t.gradient(y, x)


for name, f, values in [("cond_fn", cond_fn, [2.0, 0.5]), ("while_fn", while_fn, [2.0, 3.0, 60.0]),
                        ("for_fn", for_fn, [2.0, 0.5])]:
    for v in values:
        x = tf.constant(v)
        both(f"{name} value {v}", f, x)
        both(f"{name} grad inside {v}", grad_inside(f), x)
        run(f"{name} grad outside {v} traced", lambda: rounded(grad_outside(tf.function(f), x)))

# --- what AutoGraph refuses ---
print("--- errors ---")


def one_branch(x):
    if x > 0:
        y = x * 2.0
    return y


def dtype_change(n):
    x = tf.constant(0)
    for i in tf.range(n):
        x = tf.cast(x, tf.float32) + 1.0
    return x


def shape_change(n):
    x = tf.constant([1.0])
    for i in tf.range(n):
        x = tf.concat([x, x], 0)
    return x


run("one_branch traced", lambda: rounded(tf.function(one_branch)(tf.constant(1.0))))
run("dtype_change traced", lambda: rounded(tf.function(dtype_change)(tf.constant(3))))
run("shape_change traced", lambda: rounded(tf.function(shape_change)(tf.constant(3))))
print("done")
