! Correct: 1-based loops as in the course, double precision.
module kmeans_mod
  use iso_c_binding
  implicit none
  integer(c_int), bind(C, name="not_implemented") :: not_implemented = 0
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

  function distance(a, b, d) result(dist) bind(C, name="distance")
    integer(c_int), value :: d
    real(c_double), intent(in) :: a(d), b(d)
    real(c_double) :: dist
    integer :: j
    dist = 0.0d0
    do j = 1, d
      dist = dist + (a(j) - b(j))**2
    end do
  end function distance

  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(n, d)
    real(c_double), intent(inout) :: centers(max(k, 0), d)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    logical :: taken(n)
    integer :: c, i
    if (k < 1 .or. k > n) then
      status = -1
      return
    end if
    state = seed
    taken = .false.
    do c = 1, k
      i = random_index(state, n)
      do while (taken(i))
        i = random_index(state, n)
      end do
      taken(i) = .true.
      centers(c, :) = data(i, :)
    end do
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer :: i, c
    real(c_double) :: dist, best
    do i = 1, n
      best = huge(best)
      do c = 1, k
        dist = distance(data(i, :), centers(c, :), d)
        if (dist <= best) then
          best = dist
          labels(i) = c
        end if
      end do
    end do
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(inout) :: new_centers(k, d)
    integer :: i, c, j, counts(k)
    new_centers = 0.0d0
    counts = 0
    do i = 1, n
      counts(labels(i)) = counts(labels(i)) + 1
      do j = 1, d
        new_centers(labels(i), j) = new_centers(labels(i), j) + data(i, j)
      end do
    end do
    do c = 1, k
      if (counts(c) > 0) then
        new_centers(c, :) = new_centers(c, :) / counts(c)
      else
        new_centers(c, :) = centers(c, :)
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
    real(c_double) :: new_centers(k, d), move
    integer :: c
    centers = init
    labels = 1
    n_iter = 0
    do while (n_iter < max_iter)
      call assign(data, n, d, centers, k, labels)
      call update(data, n, d, labels, centers, k, new_centers)
      move = 0.0d0
      do c = 1, k
        move = move + distance(new_centers(c, :), centers(c, :), d)
      end do
      centers = new_centers
      n_iter = n_iter + 1
      write(*, *) "Step :", n_iter, " cent. move :", move
      if (move <= eps) exit
    end do
  end function kmeans

end module kmeans_mod
