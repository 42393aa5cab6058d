! Correct: the course's style, default real (single precision) inside.
module perceptron_mod
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

  subroutine add_bias(x, n, in_dim, xb) bind(C, name="add_bias")
    integer(c_int), value :: n, in_dim
    real(c_double), intent(in) :: x(n, in_dim)
    real(c_double), intent(inout) :: xb(n, in_dim + 1)
    xb(:, 1:in_dim) = x
    xb(:, in_dim + 1) = -1.0d0
  end subroutine add_bias

  subroutine forward(x, n, in_dim, w, out_dim, y) bind(C, name="forward")
    integer(c_int), value :: n, in_dim, out_dim
    real(c_double), intent(in) :: x(n, in_dim + 1), w(in_dim + 1, out_dim)
    integer(c_int), intent(inout) :: y(n, out_dim)
    real :: h(n, out_dim)
    h = matmul(real(x), real(w))
    where (h > 0.0)
      y = 1
    elsewhere
      y = 0
    end where
  end subroutine forward

  subroutine update(x, in_dim, y, t, out_dim, w, eta, new_w) bind(C, name="update")
    integer(c_int), value :: in_dim, out_dim
    real(c_double), intent(in) :: x(in_dim + 1), w(in_dim + 1, out_dim)
    integer(c_int), intent(in) :: y(out_dim), t(out_dim)
    real(c_double), value :: eta
    real(c_double), intent(inout) :: new_w(in_dim + 1, out_dim)
    integer :: j, k
    do k = 1, out_dim
      do j = 1, in_dim + 1
        new_w(j, k) = real(w(j, k)) - real(eta) * (y(k) - t(k)) * real(x(j))
      end do
    end do
  end subroutine update

  subroutine train(x, n, in_dim, t, out_dim, w0, eta, epochs, seed, w, mistakes) bind(C, name="train")
    integer(c_int), value :: n, in_dim, out_dim, epochs
    real(c_double), intent(in) :: x(n, in_dim + 1), w0(in_dim + 1, out_dim)
    integer(c_int), intent(in) :: t(n, out_dim)
    real(c_double), value :: eta
    integer(c_int64_t), value :: seed
    real(c_double), intent(inout) :: w(in_dim + 1, out_dim)
    integer(c_int), intent(inout) :: mistakes(epochs)
    integer(c_int64_t) :: state
    integer(c_int) :: order(n), y(1, out_dim)
    real(c_double) :: sample(1, in_dim + 1), next_w(in_dim + 1, out_dim)
    integer :: e, s, i
    state = seed
    w = w0
    order = [(i, i = 1, n)]
    do e = 1, epochs
      mistakes(e) = 0
      call shuffle(order, n, state)
      do s = 1, n
        i = order(s)
        sample(1, :) = x(i, :)
        call forward(sample, 1, in_dim, w, out_dim, y)
        if (any(y(1, :) /= t(i, :))) then
          mistakes(e) = mistakes(e) + 1
          call update(sample(1, :), in_dim, y(1, :), t(i, :), out_dim, w, eta, next_w)
          w = next_w
        end if
      end do
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

end module perceptron_mod
