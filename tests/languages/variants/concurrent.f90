! Correct: do concurrent with block-local variables, allocatable scratch arrays (allocate, move_alloc, automatic deallocation).
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
    integer, allocatable :: pool(:), rest(:)
    integer :: c, r
    if (k < 1 .or. k > n) then
      status = -1
      return
    end if
    state = seed
    pool = [(c, c = 1, n)]
    do c = 1, k
      r = random_index(state, size(pool))
      centers(c, :) = data(pool(r), :)
      rest = [pool(:r - 1), pool(r + 1:)]
      call move_alloc(rest, pool)
    end do
    status = 0
  end function init_centers

  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer :: i
    do concurrent (i = 1:n)
      block
        real(c_double) :: best, dist
        integer :: c
        best = huge(best)
        do c = 1, k
          dist = sum((data(i, :) - centers(c, :))**2)
          if (dist < best) then
            best = dist
            labels(i) = c
          end if
        end do
      end block
    end do
  end subroutine assign

  subroutine update(data, n, d, labels, centers, k, new_centers) bind(C, name="update")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(in) :: labels(n)
    real(c_double), intent(inout) :: new_centers(k, d)
    real(c_double), allocatable :: sums(:, :)
    integer, allocatable :: counts(:)
    integer :: i, c
    allocate(sums(k, d), counts(k))
    sums = 0
    counts = 0
    do i = 1, n
      sums(labels(i), :) = sums(labels(i), :) + data(i, :)
      counts(labels(i)) = counts(labels(i)) + 1
    end do
    do concurrent (c = 1:k)
      if (counts(c) > 0) then
        new_centers(c, :) = sums(c, :) / counts(c)
      else
        new_centers(c, :) = centers(c, :)
      end if
    end do
    deallocate(sums, counts)
  end subroutine update

  function kmeans(data, n, d, init, k, eps, max_iter, centers, labels) result(n_iter) bind(C, name="kmeans")
    integer(c_int), value :: n, d, k, max_iter
    real(c_double), value :: eps
    real(c_double), intent(in) :: data(n, d), init(k, d)
    real(c_double), intent(inout) :: centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    integer(c_int) :: n_iter
    real(c_double), allocatable :: old(:, :)
    real(c_double) :: move
    centers = init
    allocate(old(k, d))
    do n_iter = 1, max_iter
      old = centers
      call assign(data, n, d, old, k, labels)
      call update(data, n, d, labels, old, k, centers)
      move = sum((centers - old)**2)
      if (move <= eps) exit
    end do
    n_iter = min(n_iter, max_iter)
  end function kmeans

end module kmeans_mod
