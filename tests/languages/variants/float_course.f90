! Correct: the course's style, default real (single precision) inside, 1-based loops.
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
    dist = sum((a - b)**2)
  end function distance

  real function dist_sp(a, b, d)
    integer, intent(in) :: d
    real(c_double), intent(in) :: a(d), b(d)
    integer :: j
    dist_sp = 0.0
    do j = 1, d
      dist_sp = dist_sp + (real(a(j)) - real(b(j)))**2
    end do
  end function dist_sp

  function init_centers(input_data, nb_data, nb_dim, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: nb_data, nb_dim, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: input_data(nb_data, nb_dim)
    real(c_double), intent(inout) :: centers(max(k, 0), nb_dim)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    integer :: idx(nb_data), c, r, t
    if (k < 1 .or. k > nb_data) then
      status = -1
      return
    end if
    state = seed
    do c = 1, nb_data
      idx(c) = c
    end do
    do c = 1, k
      r = c - 1 + random_index(state, nb_data - c + 1)
      t = idx(c); idx(c) = idx(r); idx(r) = t
      centers(c, :) = input_data(idx(c), :)
    end do
    status = 0
  end function init_centers

  subroutine assign(input_data, nb_data, nb_dim, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: nb_data, nb_dim, k
    real(c_double), intent(in) :: input_data(nb_data, nb_dim), centers(k, nb_dim)
    integer(c_int), intent(inout) :: labels(nb_data)
    integer :: i, c
    real :: dist, dist_min
    do i = 1, nb_data
      dist_min = 1.0e30
      do c = 1, k
        dist = dist_sp(input_data(i, :), centers(c, :), nb_dim)
        if (dist <= dist_min) then
          dist_min = dist
          labels(i) = c
        end if
      end do
    end do
  end subroutine assign

  subroutine update(input_data, nb_data, nb_dim, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: nb_data, nb_dim, k
    real(c_double), intent(in) :: input_data(nb_data, nb_dim), centers(k, nb_dim)
    integer(c_int), intent(in) :: labels(nb_data)
    real(c_double), intent(inout) :: new_centers(k, nb_dim)
    real :: sums(k, nb_dim)
    integer :: nb(k), i, c
    sums = 0.0
    nb = 0
    do i = 1, nb_data
      nb(labels(i)) = nb(labels(i)) + 1
      sums(labels(i), :) = sums(labels(i), :) + real(input_data(i, :))
    end do
    do c = 1, k
      if (nb(c) > 0) then
        new_centers(c, :) = sums(c, :) / nb(c)
      else
        new_centers(c, :) = centers(c, :)
      end if
    end do
  end subroutine update

  function kmeans(input_data, nb_data, nb_dim, init, k, eps, max_iter, centers, labels) result(l) &
      bind(C, name="kmeans")
    integer(c_int), value :: nb_data, nb_dim, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: input_data(nb_data, nb_dim), init(k, nb_dim)
    real(c_double), intent(inout) :: centers(k, nb_dim)
    integer(c_int), intent(inout) :: labels(nb_data)
    integer(c_int) :: l
    real(c_double) :: new_centers(k, nb_dim)
    real :: mov
    integer :: c
    centers = init
    labels = 1
    l = 0
    do while (l < max_iter)
      call assign(input_data, nb_data, nb_dim, centers, k, labels)
      call update(input_data, nb_data, nb_dim, labels, centers, k, new_centers)
      mov = 0.0
      do c = 1, k
        mov = mov + dist_sp(centers(c, :), new_centers(c, :), nb_dim)
      end do
      centers = new_centers
      l = l + 1
      write(*, *) "Step :", l, " cent. move :", mov
      if (mov <= eps) exit
    end do
  end function kmeans

end module kmeans_mod
