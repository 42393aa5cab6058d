! Points stored (npoints, ndim) and read one coordinate line at a time with an implied do;
! a logical flag ends a do loop without bounds; the centers written all on one line per center
! with list-directed output of a row section; default real; the step printed with print *.
program kmeans_flag
  implicit none
  integer :: n, nd, i, j, l, jmin
  integer, parameter :: nk = 4
  real, dimension(:,:), allocatable :: p, cen, acc
  integer, dimension(nk) :: num
  real :: e, cmov, dd, dmin, r
  logical :: done

  open(10, file="kmeans_input_file_2d.dat")
  read(10, *) nd, n
  allocate(p(n, nd), cen(nk, nd), acc(nk, nd))
  do j = 1, nd
    read(10, *) (p(i, j), i = 1, n)
  end do
  close(10)
  print *, nd, n

  call random_seed()
  do j = 1, nk
    call random_number(r)
    i = ceiling(r * n)
    if (i < 1) i = 1
    cen(j, :) = p(i, :)
  end do

  l = 0
  done = .false.
  do
    l = l + 1
    acc = 0.
    num = 0
    e = 0.
    do i = 1, n
      jmin = 1
      dmin = sum((p(i, :) - cen(1, :))**2)
      do j = 2, nk
        dd = sum((p(i, :) - cen(j, :))**2)
        if (dd < dmin) then
          dmin = dd
          jmin = j
        end if
      end do
      num(jmin) = num(jmin) + 1
      acc(jmin, :) = acc(jmin, :) + p(i, :)
      e = e + dmin
    end do
    cmov = 0.
    do j = 1, nk
      if (num(j) > 0) then
        acc(j, :) = acc(j, :) / num(j)
        cmov = cmov + sum((acc(j, :) - cen(j, :))**2)
        cen(j, :) = acc(j, :)
      end if
    end do
    print *, "Step :", l, " error :", e / n, " cent. move :", cmov
    done = cmov <= 0.001 .or. l >= 100
    if (done) exit
  end do

  open(11, file="kmeans_output_2d.dat", status="unknown")
  write(11, *) nd, nk
  do j = 1, nk
    write(11, *) (cen(j, i), i = 1, nd)
  end do
  close(11)
end program kmeans_flag
