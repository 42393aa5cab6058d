! Correct: two center buffers (target) swapped through Fortran pointers, assumed-shape helpers with optional arguments, a recursive main loop.
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

  pure function gaps(a, b) result(total)
    real(c_double), intent(in) :: a(:, :), b(:, :)
    real(c_double) :: total
    total = sum((a - b)**2)
  end function gaps

  subroutine nearest_all(x, m, lab, first_wins)
    real(c_double), intent(in) :: x(:, :), m(:, :)
    integer(c_int), intent(out) :: lab(:)
    logical, intent(in), optional :: first_wins
    real(c_double) :: best, dist
    integer :: i, c
    logical :: first
    first = .false.
    if (present(first_wins)) first = first_wins
    do i = 1, size(x, 1)
      best = huge(1.0_c_double)
      do c = 1, size(m, 1)
        dist = sum((x(i, :) - m(c, :))**2)
        if (dist < best .or. (.not. first .and. dist == best)) then
          best = dist
          lab(i) = c
        end if
      end do
    end do
  end subroutine nearest_all

  function init_centers(data, n, d, k, seed, centers) result(status) bind(C, name="init_centers")
    integer(c_int), value :: n, d, k
    integer(c_int64_t), value :: seed
    real(c_double), intent(in) :: data(n, d)
    real(c_double), intent(inout) :: centers(max(k, 0), d)
    integer(c_int) :: status
    integer(c_int64_t) :: state
    integer :: c, i
    integer, allocatable :: seen(:)
    if (k < 1 .or. k > n) then
      status = -1
      return
    end if
    state = seed
    allocate(seen(0))
    do c = 1, k
      i = random_index(state, n)
      do while (any(seen == i))
        i = random_index(state, n)
      end do
      seen = [seen, i]
      centers(c, :) = data(i, :)
    end do
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    call nearest_all(data, centers, labels, first_wins=.true.)
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(inout) :: new_centers(k, d)
    integer :: c, j
    real(c_double) :: members
    do c = 1, k
      members = real(count(labels == c), c_double)
      if (members < 0.5_c_double) then
        new_centers(c, :) = centers(c, :)
        cycle
      end if
      do j = 1, d
        new_centers(c, j) = sum(data(:, j), mask=labels == c) / members
      end do
    end do
  end subroutine update

  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(inout) :: centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer(c_int) :: n_iter
    real(c_double), target :: one(k, d), two(k, d)
    real(c_double), pointer :: now(:, :), next(:, :)
    one = init
    now => one
    next => two
    n_iter = iterate(1)
    centers = now
  contains
    recursive integer function iterate(step) result(done)
      integer, intent(in) :: step
      real(c_double), pointer :: swap(:, :)
      real(c_double) :: move
      call assign(data, n, d, now, k, labels)
      call update(data, n, d, labels, now, k, next)
      move = gaps(next, now)
      swap => now
      now => next
      next => swap
      if (move <= eps .or. step >= max_iter) then
        done = step
      else
        done = iterate(step + 1)
      end if
    end function iterate
  end function kmeans

end module kmeans_mod
