package digest

type unionFind struct{ parent []int32 }

// reset makes u n singletons, in the memory it has.
func (u *unionFind) reset(n int) {
	u.parent = sized(u.parent, n)
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
}

func (u *unionFind) find(i int) int {
	for int(u.parent[i]) != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = int(u.parent[i])
	}
	return i
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra < rb {
			u.parent[rb] = int32(ra)
		} else {
			u.parent[ra] = int32(rb)
		}
	}
}
