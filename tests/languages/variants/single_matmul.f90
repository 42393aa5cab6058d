! Correct: single precision (real(c_float)) inside, distances from |x|^2 - 2 x.c + |c|^2 with matmul, forall.
module kmeans_mod
  use iso_c_binding
  implicit none
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


  function distance(a, b, d) result(dist) bind(C, name="distance")
    integer(c_int), value :: d
    real(c_double), intent(in) :: a(d), b(d)
    real(c_double) :: dist
    dist = sum((a - b)**2)
  end function distance

  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(n, d)
    real(c_double), intent(inout) :: centers(max(k, 0), d)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    integer :: order(n), c, r, t
    status = -1
    if (k < 1 .or. k > n) return
    state = seed
    forall (c = 1:n) order(c) = c
    do c = n, n - k + 1, -1      ! the last k places of a backward Fisher-Yates shuffle
      r = random_index(state, c)
      t = order(c)
      order(c) = order(r)
      order(r) = t
    end do
    centers = data(order(n:n - k + 1:-1), :)
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    real(c_float) :: x(n, d), m(k, d), dists(n, k)
    integer :: i, c
    x = real(data, c_float)
    m = real(centers, c_float)
    dists = -2.0 * matmul(x, transpose(m))
    forall (i = 1:n, c = 1:k) dists(i, c) = dists(i, c) + sum(x(i, :)**2) + sum(m(c, :)**2)
    labels = minloc(dists, dim=2)
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(inout) :: new_centers(k, d)
    real(c_float) :: sums(k, d)
    integer :: i, c, counts(k)
    sums = 0.0
    counts = 0
    do i = 1, n
      sums(labels(i), :) = sums(labels(i), :) + real(data(i, :), c_float)
      counts(labels(i)) = counts(labels(i)) + 1
    end do
    do c = 1, k
      if (counts(c) == 0) then
        new_centers(c, :) = centers(c, :)
      else
        new_centers(c, :) = sums(c, :) / real(counts(c), c_float)
      end if
    end do
  end subroutine update

  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(inout) :: centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer(c_int) :: n_iter
    real(c_double) :: next(k, d)
    real(c_float) :: cent_mov, err
    integer :: i
    centers = init
    n_iter = 0
    do
      call assign(data, n, d, centers, k, labels)
      call update(data, n, d, labels, centers, k, next)
      err = 0.0
      do i = 1, n
        err = err + sum(real(data(i, :) - centers(labels(i), :), c_float)**2)
      end do
      cent_mov = sum(real(next - centers, c_float)**2)
      centers = next
      n_iter = n_iter + 1
      write(*, *) "Step :", n_iter, " error :", err / n, " cent. move :", cent_mov
      if (cent_mov <= eps .or. n_iter >= max_iter) exit
    end do
  end function kmeans

end module kmeans_mod
