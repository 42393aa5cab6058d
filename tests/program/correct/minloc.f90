! Points stored (npoints, ndim), minloc for the nearest center, a distance function, double precision.
module helpers
  implicit none
contains
  function sqdist(a, b) result(s)
    double precision, intent(in) :: a(:), b(:)
    double precision :: s
    s = sum((a - b)**2)
  end function sqdist
end module helpers

program kmeans
  use helpers
  implicit none
  integer :: nb_data, ndim, i, j, l, k
  double precision, allocatable :: x(:,:), c(:,:), cnew(:,:), dists(:)
  integer, allocatable :: nb(:)
  double precision :: err, mov, r
  integer :: best(1)
  k = 4
  open(20, file='kmeans_input_file_2d.dat')
  read(20,*) ndim, nb_data
  allocate(x(nb_data, ndim), c(k, ndim), cnew(k, ndim), dists(k), nb(k))
  do j = 1, ndim
    read(20,*) x(:, j)
  end do
  close(20)
  write(*,*) ndim, nb_data
  call random_seed()
  do j = 1, k
    call random_number(r)
    c(j, :) = x(1 + int(r * nb_data), :)
  end do
  do l = 1, 100
    cnew = 0.d0
    nb = 0
    err = 0.d0
    do i = 1, nb_data
      do j = 1, k
        dists(j) = sqdist(x(i, :), c(j, :))
      end do
      best = minloc(dists)
      nb(best(1)) = nb(best(1)) + 1
      cnew(best(1), :) = cnew(best(1), :) + x(i, :)
      err = err + dists(best(1))
    end do
    mov = 0.d0
    do j = 1, k
      if (nb(j) > 0) then
        cnew(j, :) = cnew(j, :) / nb(j)
        mov = mov + sqdist(cnew(j, :), c(j, :))
        c(j, :) = cnew(j, :)
      end if
    end do
    write(*,*) "Step :", l, " error :", err / nb_data, " cent. move :", mov
    if (mov <= 0.001d0) exit
  end do
  open(21, file='kmeans_output_2d.dat')
  write(21,*) ndim, k
  do j = 1, k
    write(21,*) c(j, :)
  end do
  close(21)
end program kmeans
