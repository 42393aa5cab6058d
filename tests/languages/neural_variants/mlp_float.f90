! Correct: the course's style, default real (single precision) inside.
module mlp_mod
  use iso_c_binding
  implicit none
  integer(c_int), bind(C, name="not_implemented") :: not_implemented = 0   ! the skeleton's marker
contains

  function next_random(state) result(z) bind(C, name="next_random")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int64_t) :: z
    state = wrapped(state, -7046029254386353131_c_int64_t, .false.)
    z = state
    z = wrapped(ieor(z, ishft(z, -30)), -4658895280553007687_c_int64_t, .true.)
    z = wrapped(ieor(z, ishft(z, -27)), -7723592293110705685_c_int64_t, .true.)
    z = ieor(z, ishft(z, -31))
  end function next_random

  ! a * b (product) or a + b, modulo 2**64 like C's uint64_t.  Fortran has no unsigned integers and an
  ! overflow lets the compiler break the program, so the arithmetic is done on 16-bit pieces.
  function wrapped(a, b, product) result(r)
    integer(c_int64_t), intent(in) :: a, b
    logical, intent(in) :: product
    integer(c_int64_t) :: r, x(0:3), y(0:3), v, carry
    integer :: i, k
    do i = 0, 3
      x(i) = iand(ishft(a, -16 * i), 65535_c_int64_t)
      y(i) = iand(ishft(b, -16 * i), 65535_c_int64_t)
    end do
    r = 0
    carry = 0
    do k = 0, 3
      v = carry
      if (product) then
        do i = 0, k
          v = v + x(i) * y(k - i)
        end do
      else
        v = v + x(k) + y(k)
      end if
      r = ior(r, ishft(iand(v, 65535_c_int64_t), 16 * k))
      carry = ishft(v, -16)
    end do
  end function wrapped

  function random_index(state, n) result(i) bind(C, name="random_index")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int), value :: n
    integer(c_int) :: i
    i = int(modulo(ishft(next_random(state), -1), int(n, c_int64_t)), c_int) + 1
  end function random_index

  subroutine shuffle(order, n, state) bind(C, name="shuffle")
    integer(c_int), value :: n
    integer(c_int), intent(inout) :: order(n)
    integer(c_int64_t), intent(inout) :: state
    integer(c_int) :: i, j, swap
    do i = n, 2, -1
      j = random_index(state, i)
      swap = order(i)
      order(i) = order(j)
      order(j) = swap
    end do
  end subroutine shuffle

  subroutine forward(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y) bind(C, name="forward")
    integer(c_int), value :: n, in_dim, hid_dim, out_dim
    real(c_double), intent(in) :: x(n, in_dim + 1), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: beta
    real(c_double), intent(inout) :: hidden(n, hid_dim + 1), y(n, out_dim)
    real :: a(n, hid_dim + 1)
    a(:, 1:hid_dim) = 1.0 / (1.0 + exp(-real(beta) * matmul(real(x), real(w1))))
    a(:, hid_dim + 1) = -1.0
    hidden = a
    y = 1.0 / (1.0 + exp(-real(beta) * matmul(a, real(w2))))
  end subroutine forward

  subroutine backprop(x, in_dim, t, out_dim, w1, hid_dim, w2, eta, beta, new_w1, new_w2) bind(C, name="backprop")
    integer(c_int), value :: in_dim, out_dim, hid_dim
    real(c_double), intent(in) :: x(in_dim + 1), t(out_dim), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: eta, beta
    real(c_double), intent(inout) :: new_w1(in_dim + 1, hid_dim), new_w2(hid_dim + 1, out_dim)
    real(c_double) :: sample(1, in_dim + 1), hidden(1, hid_dim + 1), y(1, out_dim)
    real(c_double) :: delta_o(out_dim), delta_h(hid_dim), a(hid_dim)
    integer :: j, h
    sample(1, :) = x
    call forward(sample, 1, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y)
    delta_o = real(real(beta) * (real(y(1, :)) - real(t)) * real(y(1, :)) * (1.0 - real(y(1, :))))
    a = hidden(1, 1:hid_dim)
    delta_h = real(real(beta) * real(a) * (1.0 - real(a)) * matmul(real(w2(1:hid_dim, :)), real(delta_o)))
    do h = 1, hid_dim
      do j = 1, in_dim + 1
        new_w1(j, h) = w1(j, h) - eta * x(j) * delta_h(h)
      end do
    end do
    do h = 1, hid_dim + 1
      new_w2(h, :) = w2(h, :) - eta * hidden(1, h) * delta_o
    end do
  end subroutine backprop

  subroutine train(x, n, in_dim, t, out_dim, w1, hid_dim, w2, eta, beta, epochs, seed, new_w1, new_w2, errors) &
      bind(C, name="train")
    integer(c_int), value :: n, in_dim, out_dim, hid_dim, epochs
    real(c_double), intent(in) :: x(n, in_dim + 1), t(n, out_dim), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: eta, beta
    integer(c_int64_t), value :: seed
    real(c_double), intent(inout) :: new_w1(in_dim + 1, hid_dim), new_w2(hid_dim + 1, out_dim), errors(epochs)
    real(c_double) :: next_w1(in_dim + 1, hid_dim), next_w2(hid_dim + 1, out_dim)
    real(c_double) :: hidden(n, hid_dim + 1), y(n, out_dim)
    integer(c_int64_t) :: state
    integer(c_int) :: order(n)
    integer :: e, s, i
    state = seed
    new_w1 = w1
    new_w2 = w2
    order = [(i, i = 1, n)]
    do e = 1, epochs
      call shuffle(order, n, state)
      do s = 1, n
        i = order(s)
        call backprop(x(i, :), in_dim, t(i, :), out_dim, new_w1, hid_dim, new_w2, eta, beta, next_w1, next_w2)
        new_w1 = next_w1
        new_w2 = next_w2
      end do
      call forward(x, n, in_dim, new_w1, hid_dim, new_w2, out_dim, beta, hidden, y)
      errors(e) = 0.5d0 * sum((y - t)**2)
    end do
  end subroutine train

  ! The class (1-based) of a row of outputs: the first largest entry, or with one output 2 above 0.5, else 1.
  function class_of(row, out_dim) result(c)
    integer(c_int), intent(in) :: out_dim
    real(c_double), intent(in) :: row(out_dim)
    integer :: c
    if (out_dim == 1) then
      c = merge(2, 1, row(1) > 0.5d0)
    else
      c = maxloc(row, dim=1)
    end if
  end function class_of

  subroutine predict(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, classes) bind(C, name="predict")
    integer(c_int), value :: n, in_dim, hid_dim, out_dim
    real(c_double), intent(in) :: x(n, in_dim + 1), w1(in_dim + 1, hid_dim), w2(hid_dim + 1, out_dim)
    real(c_double), value :: beta
    integer(c_int), intent(inout) :: classes(n)
    real(c_double) :: hidden(n, hid_dim + 1), y(n, out_dim)
    integer :: i
    call forward(x, n, in_dim, w1, hid_dim, w2, out_dim, beta, hidden, y)
    do i = 1, n
      classes(i) = class_of(y(i, :), out_dim)
    end do
  end subroutine predict

  subroutine confusion_matrix(y, n, out_dim, t, cm) bind(C, name="confusion_matrix")
    integer(c_int), value :: n, out_dim
    real(c_double), intent(in) :: y(n, out_dim), t(n, out_dim)
    integer(c_int), intent(inout) :: cm(max(out_dim, 2), max(out_dim, 2))
    integer :: i, p, q
    cm = 0
    do i = 1, n
      p = class_of(y(i, :), out_dim)
      q = class_of(t(i, :), out_dim)
      cm(p, q) = cm(p, q) + 1
    end do
  end subroutine confusion_matrix

  function class_scores(cm, nc, recall, precision) result(accuracy) bind(C, name="class_scores")
    integer(c_int), value :: nc
    integer(c_int), intent(in) :: cm(nc, nc)
    real(c_double), intent(inout) :: recall(nc), precision(nc)
    real(c_double) :: accuracy
    integer :: i, trace
    trace = 0
    do i = 1, nc
      trace = trace + cm(i, i)
      recall(i) = 0.0d0
      precision(i) = 0.0d0
      if (sum(cm(:, i)) > 0) recall(i) = real(cm(i, i), c_double) / sum(cm(:, i))
      if (sum(cm(i, :)) > 0) precision(i) = real(cm(i, i), c_double) / sum(cm(i, :))
    end do
    accuracy = 0.0d0
    if (sum(cm) > 0) accuracy = real(trace, c_double) / sum(cm)
  end function class_scores

end module mlp_mod
