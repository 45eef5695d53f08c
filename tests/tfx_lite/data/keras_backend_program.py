"""tf.keras.backend as TF 2 scripts use it (keras_backend_program.tf.txt: TF 2.21, Keras 3.15.1)."""
from program import tf

K = tf.keras.backend
print("floatx", K.floatx(), "epsilon", K.epsilon(), "image_data_format", K.image_data_format())
first = [tf.keras.layers.Dense(1).name for _ in range(2)]
K.clear_session()
print("names", first, "after clear_session", tf.keras.layers.Dense(1).name)
K.set_epsilon(1e-5)
print("epsilon", K.epsilon())
K.set_epsilon(1e-7)
print("int_shape", K.int_shape(tf.zeros([2, 3])), "ndim", K.ndim(tf.zeros([2, 3, 4])))
print("get_value", K.get_value(tf.Variable([1.5, 2.0])).tolist())
v = tf.Variable(1.0)
K.set_value(v, 4.0)
print("set_value", float(v.numpy()))
print("is_keras_tensor", K.is_keras_tensor(tf.keras.Input(shape=(2,))))
