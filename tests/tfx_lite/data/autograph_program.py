"""AutoGraph: each construct run as Python (the function called on eager tensors) and converted
(the same function under tf.function); then the errors TF's AutoGraph raises, shown as the
frame of the user's line it points at and the error's own last line."""
import os
import sys

from program import rounded, run, tf


def both(what, f, *args):
    """The function's results eagerly and traced."""
    try:
        eager = rounded(f(*args))
    except Exception as e:  # noqa: BLE001
        eager = f"{type(e).__name__}"
    try:
        traced = rounded(tf.function(f)(*args))
    except Exception as e:  # noqa: BLE001
        traced = f"{type(e).__name__}: {str(e).splitlines()[-1].strip()}"
    print(what, "eager:", eager, "traced:", traced)


def error(what, f, *args, message=True, **options):
    """The error of the traced function: type, the user frame it names, the message (its last
    line; not where TF's text is an op's or a long explanation)."""
    try:
        tf.function(f, **options)(*args)
        print(what, "-> no error")
        return
    except Exception as e:  # noqa: BLE001
        caught = e
    lines = [line.strip() for line in str(caught).splitlines() if line.strip()]
    frames = []
    for i, line in enumerate(lines):
        if line.startswith("File "):
            path, rest = line[len('File "'):].split('", ', 1)
            frames.append(f"{os.path.basename(path)} {rest} | {lines[i + 1]}")
    print(what, "->", type(caught).__name__, "|", " / ".join(frames), "|",
          lines[-1] if lines and message else "")


# --- if ----------------------------------------------------------------------------------------

def sign(x):
    if x > 0:
        y = 1.0
    elif x < 0:
        y = -1.0
    else:
        y = 0.0
    return y


for v in (3.0, -2.0, 0.0):
    both(f"if/elif/else {v}", sign, tf.constant(v))


def temporaries(x):
    if x > 0:
        t = x * 2
        y = t + 1
    else:
        y = x
    return y


both("temporary in one branch", temporaries, tf.constant(4))
both("temporary, else", temporaries, tf.constant(-4))


def python_condition(x, flag):
    if flag:
        print("traced the true branch")
        x = x + 1
    else:
        print("traced the false branch")
        x = x - 1
    return x


print("python condition:", rounded(tf.function(python_condition)(tf.constant(1), True)))


def early_return(x):
    if x > 0:
        return x * 10
    return -x


both("early return +", early_return, tf.constant(3))
both("early return -", early_return, tf.constant(-3))


def branch_assigns_variable(v, x):
    if x > 0:
        v.assign_add(x)
    else:
        v.assign(-x)
    return v.read_value()


var = tf.Variable(1.0)
print("variable in branches:", rounded(tf.function(branch_assigns_variable)(var, tf.constant(2.0))),
      rounded(tf.function(branch_assigns_variable)(var, tf.constant(-5.0))))


def conditional_expression(x):
    return x * 2 if x > 0 else -x


both("x if c else y +", conditional_expression, tf.constant(4))
both("x if c else y -", conditional_expression, tf.constant(-4))


def logic(x, y):
    return (x > 0 and y > 0), (x > 0 or y > 0), (not x > 0), (x > 0 and y > 0 and x < y)


both("and/or/not", logic, tf.constant(1), tf.constant(-1))
both("and/or/not 2", logic, tf.constant(1), tf.constant(3))


def short_circuit(x, i):
    return i < 3 and x[i] > 0


both("short circuit", short_circuit, tf.constant([1, -1, 1]), tf.constant(1))

# --- while -------------------------------------------------------------------------------------


def collatz(x):
    steps = 0
    while x != 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


both("collatz 27", collatz, tf.constant(27))


def while_break(n):
    i = 0
    total = 0
    while i < n:
        i += 1
        if i > 4:
            break
        total += i
    return i, total


both("while break", while_break, tf.constant(10))
both("while break short", while_break, tf.constant(3))


def while_and(x, n):
    i = 0
    while i < n and x > 1.0:
        x = x / 2.0
        i += 1
    return i, x


both("while and", while_and, tf.constant(100.0), tf.constant(3))
both("while and 2", while_and, tf.constant(5.0), tf.constant(10))

# --- for ---------------------------------------------------------------------------------------


def sum_odd(n):
    s = 0
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


both("for continue", sum_odd, tf.constant(10))


def first_over(x, limit):
    found = -1
    for i in tf.range(tf.shape(x)[0]):
        if x[i] > limit:
            found = i
            break
    return found


both("for break", first_over, tf.constant([1.0, 5.0, 9.0, 2.0]), tf.constant(4.0))
both("for break none", first_over, tf.constant([1.0, 2.0]), tf.constant(4.0))


def nested_loops(n):
    s = 0
    for i in tf.range(n):
        for j in tf.range(i):
            if j == 2:
                continue
            s += i * j
    return s


both("nested loops", nested_loops, tf.constant(6))


def rows(m):
    total = tf.zeros([2])
    count = 0
    for row in m:
        total += row
        count += 1
    return total, count


both("for over a tensor", rows, tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))


def python_range(x):
    for i in range(3):
        if i > 0:
            x = x * 2
    return x


both("python range unrolled", python_range, tf.constant(1))


def range_of_tensor(n):
    s = 0
    for i in range(n):
        s += i
    return s


both("range(tensor)", range_of_tensor, tf.constant(5))


def target_after_loop(n):
    for i in tf.range(n):
        pass
    return i


both("loop target after the loop", target_after_loop, tf.constant(4))


def defined_in_loop(n):
    i = 0
    while i < n:
        z = i * 2
        i += 1
    return z


both("defined in the loop", defined_in_loop, tf.constant(3))


def dataset_loop():
    s = tf.constant(0, tf.int64)
    for e in tf.data.Dataset.range(10):
        if e > 4:
            break
        s += e
    return s


both("dataset loop", dataset_loop)


def dataset_pairs():
    ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [10, 20, 30]))
    a, b = tf.constant(0.0), tf.constant(0)
    for x, y in ds:
        a += x
        b += y
    return a, b


both("dataset of pairs", dataset_pairs)


def variable_loop(v, n):
    for i in tf.range(n):
        v.assign_add(tf.cast(i, tf.float32))
    return v.read_value()


print("variable in a loop:", rounded(tf.function(variable_loop)(tf.Variable(0.0), tf.constant(5))))


def length(x):
    return len(x)


both("len", length, tf.ones([3, 2]))

# --- calls -------------------------------------------------------------------------------------


def helper(x):
    if x > 0:
        return x * 10
    return x


def calls_helper(x):
    return helper(x) + 1


both("helper converted", calls_helper, tf.constant(2))


class Counter(tf.Module):
    def __init__(self):
        self.threshold = tf.constant(2.0)

    def __call__(self, x):
        if tf.reduce_sum(x) > self.threshold:
            x = x * 2.0
        return x


counter = Counter()
both("module method", counter, tf.constant([1.0, 3.0]))
both("module method 2", counter, tf.constant([0.5, 0.5]))


def uses_lambda(x):
    f = lambda y: y * 2 if y > 0 else -y  # noqa: E731
    return f(x)


both("lambda", uses_lambda, tf.constant(-3))


def nested_def(x):
    def inner(y):
        if y > 0:
            return y
        return -y
    return inner(x) + inner(-x)


both("nested def", nested_def, tf.constant(-2))

# --- gradients ---------------------------------------------------------------------------------


def grad_if(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        if x > 0:
            y = x * x
        else:
            y = x * 3.0
    return tape.gradient(y, x)


both("gradient through if +", grad_if, tf.constant(2.0))
both("gradient through if -", grad_if, tf.constant(-2.0))


def grad_while(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
        i = 0
        while i < 3:
            y = y * x
            i += 1
    return tape.gradient(y, x)


both("gradient through while", grad_while, tf.constant(2.0))


def grad_for_break(x, n):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.constant(1.0)
        for i in tf.range(n):
            if i >= 2:
                break
            y = y * x + 1.0
    return tape.gradient(y, x)


both("gradient through for with break", grad_for_break, tf.constant(3.0), 10)

# --- print -------------------------------------------------------------------------------------


def prints(x):
    print("traced with a", x.dtype.name, "tensor")
    tf.print("tf.print x is", x, output_stream=sys.stdout)
    return x + 1


f = tf.function(prints)
f(tf.constant(1))
f(tf.constant(2))


def prints_at_run_time(x):
    print("runtime", x, [1, 2], sep=":")
    print("trace time only", 1)
    return x


g = tf.function(prints_at_run_time,
                experimental_autograph_options=tf.autograph.experimental.Feature.BUILTIN_FUNCTIONS)
g(tf.constant([1, 2]))
g(tf.constant([3, 4]))
sys.stdout.flush()

# --- errors ------------------------------------------------------------------------------------


def undefined_else(x):
    if x > 0:
        y = x
    return y


error("undefined in else", undefined_else, tf.constant(1))


def undefined_main(x):
    if x > 0:
        pass
    else:
        y = x
    return y


error("undefined in main", undefined_main, tf.constant(1))


def dtype_branches(x):
    if x > 0:
        y = tf.constant(1)
    else:
        y = tf.constant(2.0)
    return y


error("dtype across branches", dtype_branches, tf.constant(1))


def none_branch(x):
    if x > 0:
        y = None
    else:
        y = x
    return y


error("None in a branch", none_branch, tf.constant(1))


def missing_return(x):
    if x > 0:
        return x


error("missing return", missing_return, tf.constant(1))


def loop_dtype(n):
    i = 0
    x = tf.constant(1)
    while i < n:
        x = tf.cast(x, tf.float32)
        i += 1
    return x


error("loop dtype change", loop_dtype, tf.constant(3))


def loop_shape(n):
    x = tf.ones([1])
    for i in tf.range(n):
        x = tf.concat([x, x], 0)
    return x


error("loop shape change", loop_shape, tf.constant(3))


def used_before_defined(n):
    i = 0
    while i < n:
        z = z + 1
        i += 1
    return z


error("used before defined", used_before_defined, tf.constant(3))


def python_then_tensor(x):
    i = 0
    while i < 3:
        i = i + x
    return i


error("python then tensor", python_then_tensor, tf.constant(1))


def reshape_error(x):
    y = x + 1
    z = tf.reshape(y, [5])
    return z


error("error in an op", reshape_error, tf.ones([3]), message=False)


def no_autograph(x):
    if x > 0:
        return x
    return -x


error("autograph=False", no_autograph, tf.constant(1), autograph=False, message=False)


@tf.autograph.experimental.do_not_convert
def not_converted(x):
    if x > 0:
        return x
    return -x


def calls_not_converted(x):
    return not_converted(x)


error("do_not_convert", calls_not_converted, tf.constant(1), message=False)
run("autograph names", lambda: sorted(n for n in dir(tf.autograph) if not n.startswith("_")
                                      and n not in ("api", "analysis", "calls", "control_flow",
                                                    "conversion", "converter", "errors",
                                                    "lowering", "operators", "undefined")))
